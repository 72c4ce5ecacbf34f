"""/events: announce, list, look up, edit and cancel network events."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot import text
from bot.adapters.errors import BotView
from bot.custom_ids import LIST_PAGE_ID, ListPage, decode_list_page, encode_list_page
from bot.domain.events import (
    CAPACITY_MAX,
    DESCRIPTION_MAX,
    HOST_MAX,
    PLACE_MAX,
    TITLE_MAX,
    Kind,
    Region,
)
from bot.domain.languages import Language
from bot.i18n import tr
from bot.render.common import CHOICE_NAME_MAX, clip
from bot.render.events import (
    calendar_button,
    calendar_reply,
    cancel_prompt,
    cancelled_reply,
    created_reply,
    edited_reply,
    info_embed,
    list_embed,
    series_saved,
)
from bot.render.exports import attendees_file
from bot.render.feeds import feed_url, subscribe_reply
from bot.render.rsvps import attendees_embed
from bot.services.events import Calendar, EventInput
from cogs.attendance import AttendanceCommands, SheetPageButton
from cogs.common import (
    CONFIRMS,
    Confirm,
    Confirmed,
    PageButton,
    actor_of,
    attach,
    can_post_in,
    guild_id_of,
    member_names,
    organisation_choices,
    private,
    rota_choices,
    send_all,
)
from cogs.refs import AnyEvent, EventOrAll, OpenEvent, series_choices

if TYPE_CHECKING:
    from bot.client import Bot

KIND_CHOICES = [Choice(name=text.KIND_NAMES[k.value], value=k.value) for k in Kind]
REGION_CHOICES = [Choice(name=r.value, value=r.value) for r in Region]

WHEN_HELP = (
    "When it starts, in the server's time zone: 2026-12-03 18:30, 3 Dec 6:30pm, next tuesday 7pm"
)
EDIT_CLEAR = " (type - to clear)"


def _kind(choice: Choice[str] | None) -> Kind | None:
    return Kind(choice.value) if choice else None


def _region(choice: Choice[str] | None) -> Region | None:
    return Region(choice.value) if choice else None


async def render_page(
    bot: Bot, guild_id: int, target: ListPage
) -> tuple[discord.Embed, BotView | None]:
    page = await bot.event_service.list_events(
        guild_id, target.page, past=target.past, region=target.region, kind=target.kind
    )
    embed = list_embed(
        past=target.past,
        events=page.events,
        page=page.page,
        pages=page.pages,
        total=page.total,
        region=target.region,
        kind=target.kind,
    )
    view = ListPageButton.pager(
        page.page, page.pages, lambda n: ListPage(target.past, n, target.region, target.kind)
    )
    return embed, view


class ListPageButton(PageButton[ListPage], template=LIST_PAGE_ID.pattern):
    """Previous/Next on an event list."""

    encode = staticmethod(encode_list_page)
    decode = staticmethod(decode_list_page)

    async def render(self, bot: Bot, guild_id: int) -> tuple[discord.Embed, discord.ui.View | None]:
        return await render_page(bot, guild_id, self.target)


async def posted_languages(bot: Bot, guild_id: int) -> tuple[Language, ...]:
    """The languages of the server's public posts (its mode), for the organiser's note."""
    return (await bot.guild_service.settings(guild_id)).language.languages


async def send_calendar(interaction: discord.Interaction, calendar: Calendar) -> None:
    message, file = calendar_reply(calendar.events, calendar.tz, calendar.at, calendar.languages)
    await private(interaction, message, files=attach(file))


class CalendarButton(BotView):
    """The 📅 button on every announcement; persistent, the post names the event."""

    def __init__(self, bot: Bot) -> None:
        super().__init__(timeout=None)
        self.bot = bot
        button = calendar_button()
        button.callback = self.send  # type: ignore[method-assign]
        self.add_item(button)

    async def send(self, interaction: discord.Interaction) -> None:
        assert interaction.message is not None
        calendar = await self.bot.event_service.post_calendar(
            guild_id_of(interaction), interaction.message.id
        )
        await send_calendar(interaction, calendar)


@app_commands.guild_only()
class Events(
    AttendanceCommands,
    commands.GroupCog,
    group_name="events",
    group_description="Network meetings and events",
):
    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.service = bot.event_service

    # --- autocomplete -------------------------------------------------------------------

    async def host_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        return await organisation_choices(interaction, current)  # organisation records

    # --- organisers ---------------------------------------------------------------------

    @app_commands.command(name="create", description="Announce a new event (organisers)")
    @app_commands.describe(
        when=WHEN_HELP,
        title="The event's name, e.g. S. Wales Network Meeting 4",
        where="Where it happens: a venue, a town, or Online",
        host="The organisation hosting it",
        region="The part of Wales it is for",
        kind="What sort of event it is (default: meeting)",
        duration="How long it lasts, e.g. 2h, 90m, 1h30m (default 2h)",
        description="More about the event",
        capacity="Places available; further ✅ join a waitlist (default: no limit)",
        reminders="When to remind, before the start, e.g. 7d,1d,1h (default: the server's)",
        channel="Where to announce it (default: the announcements channel)",
        series="A meeting series: numbers the meeting and takes the rota's host",
        title_cy="The name in Welsh, for Welsh and bilingual posts (default: the English)",
        description_cy="The description in Welsh (default: the English)",
    )
    @app_commands.choices(kind=KIND_CHOICES, region=REGION_CHOICES)
    @app_commands.autocomplete(series=series_choices, host=host_choices)
    async def create(
        self,
        interaction: discord.Interaction,
        when: str,
        title: app_commands.Range[str, 1, TITLE_MAX] | None = None,
        where: app_commands.Range[str, 1, PLACE_MAX] | None = None,
        host: app_commands.Range[str, 1, HOST_MAX] | None = None,
        region: Choice[str] | None = None,
        kind: Choice[str] | None = None,
        duration: str | None = None,
        description: app_commands.Range[str, 1, DESCRIPTION_MAX] | None = None,
        capacity: app_commands.Range[int, 1, CAPACITY_MAX] | None = None,
        reminders: str | None = None,
        channel: discord.TextChannel | None = None,
        series: str | None = None,
        title_cy: app_commands.Range[str, 1, TITLE_MAX] | None = None,
        description_cy: app_commands.Range[str, 1, DESCRIPTION_MAX] | None = None,
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        typed = EventInput(
            when,
            title,
            where,
            host,
            _region(region),
            _kind(kind),
            duration,
            description,
            capacity,
            reminders,
            series,
            title_cy=title_cy,
            description_cy=description_cy,
        )
        created = await self.service.create(
            guild_id_of(interaction),
            actor_of(interaction),
            typed,
            channel.id if channel else None,
            can_post_there=channel is None or can_post_in(interaction, channel),
        )
        posted_in = await posted_languages(self.bot, created.event.guild_id)
        await private(
            interaction,
            lambda: created_reply(created.event, created.ambiguous_local, posted_in),
        )

    @app_commands.command(name="edit", description="Change an event (organisers)")
    @app_commands.describe(
        event="The event to change",
        when=WHEN_HELP,
        title="A new name",
        where="A new place" + EDIT_CLEAR,
        host="A new host organisation" + EDIT_CLEAR,
        region="A new region",
        kind="A new kind",
        duration="A new length, e.g. 2h or 90m",
        description="A new description" + EDIT_CLEAR,
        capacity="A new number of places (raising it moves waiting members up)",
        reminders="New reminder times before the start, e.g. 1d,1h",
        title_cy="A new name in Welsh" + EDIT_CLEAR,
        description_cy="A new description in Welsh" + EDIT_CLEAR,
    )
    @app_commands.choices(kind=KIND_CHOICES, region=REGION_CHOICES)
    @app_commands.autocomplete(host=host_choices)
    async def edit(
        self,
        interaction: discord.Interaction,
        event: OpenEvent,
        when: str | None = None,
        title: app_commands.Range[str, 1, TITLE_MAX] | None = None,
        where: app_commands.Range[str, 1, PLACE_MAX] | None = None,
        host: app_commands.Range[str, 1, HOST_MAX] | None = None,
        region: Choice[str] | None = None,
        kind: Choice[str] | None = None,
        duration: str | None = None,
        description: app_commands.Range[str, 1, DESCRIPTION_MAX] | None = None,
        capacity: app_commands.Range[int, 1, CAPACITY_MAX] | None = None,
        reminders: str | None = None,
        title_cy: app_commands.Range[str, 1, TITLE_MAX] | None = None,
        description_cy: app_commands.Range[str, 1, DESCRIPTION_MAX] | None = None,
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        typed = EventInput(
            when,
            title,
            where,
            host,
            _region(region),
            _kind(kind),
            duration,
            description,
            capacity,
            reminders,
            title_cy=title_cy,
            description_cy=description_cy,
        )
        edited = await self.service.edit(
            guild_id_of(interaction), actor_of(interaction), event, typed
        )
        posted_in = await posted_languages(self.bot, edited.event.guild_id)
        await private(
            interaction,
            lambda: edited_reply(
                edited.event, edited.changes, edited.reposted, edited.ambiguous_local, posted_in
            ),
        )
        await send_all(self.bot, edited.notices)

    @app_commands.command(
        name="cancel", description="Cancel an event, after a confirmation (organisers)"
    )
    @app_commands.describe(event="The event to cancel", reason="Why, shown on the announcement")
    async def cancel(
        self,
        interaction: discord.Interaction,
        event: OpenEvent,
        reason: app_commands.Range[str, 1, 500] | None = None,
    ) -> None:
        found, clean_reason = await self.service.prepare_cancel(
            guild_id_of(interaction), actor_of(interaction), event, reason
        )

        async def cancel(confirmed: discord.Interaction) -> Confirmed:
            cancelled = await self.service.cancel(
                guild_id_of(confirmed), actor_of(confirmed), found.id, clean_reason
            )
            return Confirmed(lambda: cancelled_reply(cancelled.event), cancelled.notices)

        view = Confirm(interaction.user.id, CONFIRMS["cancel"], cancel, title=found.title)
        await view.ask(interaction, lambda: cancel_prompt(found, clean_reason))

    # --- everyone -----------------------------------------------------------------------

    async def _list(
        self,
        interaction: discord.Interaction,
        past: bool,
        region: Choice[str] | None,
        kind: Choice[str] | None,
    ) -> None:
        target = ListPage(past=past, page=0, region=_region(region), kind=_kind(kind))
        embed, view = await render_page(self.bot, guild_id_of(interaction), target)
        await private(interaction, embed=embed, view=view)

    @app_commands.command(name="upcoming", description="What's coming up in the network")
    @app_commands.describe(region="Only events for this region", kind="Only events of this kind")
    @app_commands.choices(kind=KIND_CHOICES, region=REGION_CHOICES)
    async def upcoming(
        self,
        interaction: discord.Interaction,
        region: Choice[str] | None = None,
        kind: Choice[str] | None = None,
    ) -> None:
        await self._list(interaction, False, region, kind)

    @app_commands.command(name="past", description="A look at what's happened so far")
    @app_commands.describe(region="Only events for this region", kind="Only events of this kind")
    @app_commands.choices(kind=KIND_CHOICES, region=REGION_CHOICES)
    async def past(
        self,
        interaction: discord.Interaction,
        region: Choice[str] | None = None,
        kind: Choice[str] | None = None,
    ) -> None:
        await self._list(interaction, True, region, kind)

    @app_commands.command(name="info", description="Everything about one event")
    @app_commands.describe(event="The event")
    async def info(self, interaction: discord.Interaction, event: AnyEvent) -> None:
        found = await self.service.details(event)
        await private(
            interaction,
            embed=lambda: info_embed(
                found.event, found.counts, found.series, found.history, now=self.bot.clock()
            ),
        )

    @app_commands.command(
        name="series", description="Define or update a meeting series (organisers)"
    )
    @app_commands.describe(
        name="The series' name, e.g. S. Wales Network Meeting",
        hosts="Host organisations in turn, separated by commas",
        region="The region its meetings are for",
        next_number="The number the next meeting gets (e.g. 4 to continue a series)",
    )
    @app_commands.choices(region=REGION_CHOICES)
    async def series(
        self,
        interaction: discord.Interaction,
        name: app_commands.Range[str, 1, 90],
        hosts: str | None = None,
        region: Choice[str] | None = None,
        next_number: app_commands.Range[int, 1, 9999] | None = None,
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # writes: may wait
        series, created = await self.bot.series_service.define(
            guild_id_of(interaction),
            actor_of(interaction),
            name,
            hosts,
            _region(region),
            next_number,
        )
        await private(interaction, lambda: series_saved(series, created))

    @series.autocomplete("hosts")
    async def series_hosts(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        return await rota_choices(interaction, current)  # the last host typed

    @series.autocomplete("name")
    async def series_names(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        found = await self.bot.series_service.suggest(guild_id_of(interaction), current)
        return [Choice(name=clip(s.name, CHOICE_NAME_MAX), value=s.name) for s in found]

    @app_commands.command(
        name="calendar", description="A calendar file of one event or all upcoming"
    )
    @app_commands.describe(event="The event (leave empty for every upcoming event)")
    async def calendar(
        self, interaction: discord.Interaction, event: EventOrAll | None = None
    ) -> None:
        calendar = await self.service.for_calendar(guild_id_of(interaction), event)
        await send_calendar(interaction, calendar)

    @app_commands.command(
        name="subscribe", description="A live calendar feed that keeps itself up to date"
    )
    @app_commands.describe(
        region="Only events for this region",
        mine="Only the events you said going or maybe to",
        reset="A new address: the ones given before stop working",
    )
    @app_commands.choices(region=REGION_CHOICES)
    async def subscribe(
        self,
        interaction: discord.Interaction,
        region: Choice[str] | None = None,
        mine: bool = False,
        reset: bool = False,
    ) -> None:
        settings = self.bot.settings
        if settings.web_port is None:
            await private(interaction, lambda: tr(text.SUBSCRIBE_WEB_OFF))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)  # writes: may wait
        issued = await self.bot.services.feeds.issue(
            guild_id_of(interaction),
            interaction.user.id,
            region=_region(region),
            mine=mine,
            reset=reset,
        )
        url = feed_url(settings.public_base, issued.token)
        await private(
            interaction,
            lambda: subscribe_reply(url, mine=mine, region=_region(region), retired=issued.retired),
        )

    @app_commands.command(name="attendees", description="Who's going, with a CSV file (organisers)")
    @app_commands.describe(event="The event")
    async def attendees(self, interaction: discord.Interaction, event: AnyEvent) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        listed = await self.bot.rsvp_service.attendees(
            event, guild_id_of(interaction), actor_of(interaction)
        )
        names = await member_names(
            interaction, [r.user_id for rs in listed.by_status.values() for r in rs]
        )
        there = await self.bot.attendance_service.there(event.id)
        files = attach(attendees_file(event, listed.by_status, names, there))
        await private(
            interaction,
            embed=lambda: attendees_embed(event, listed.by_status, listed.counts),
            files=files,
        )


async def setup(bot: Bot) -> None:
    bot.add_dynamic_items(ListPageButton, SheetPageButton)
    bot.add_view(CalendarButton(bot))
    await bot.add_cog(Events(bot))
