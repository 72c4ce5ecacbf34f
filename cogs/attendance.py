"""/events attendance and /events notes, and the "I was there" button on event posts.

The commands are part of the /events group: `AttendanceCommands` is a mixin of the Events cog
(cogs/events.py), whose class collects them. Every component here is stateless, its custom_id
saying what it is for (bot/custom_ids.py): the post's button, the sheet's menus and the notes
form are answered by a listener from the custom_id alone, so they work after a restart; the
sheet's Previous/Next are dynamic items (`SheetPageButton`, registered in cogs/events.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import text
from bot.adapters.errors import guarded
from bot.custom_ids import (
    SHEET_PAGE_ID,
    SheetPage,
    decode_attend,
    decode_notes_form,
    decode_sheet_page,
    decode_sheet_select,
    encode_notes_form,
    encode_sheet_page,
)
from bot.domain.attendance import LINK_MAX, NOTES_MAX
from bot.domain.events import Event
from bot.i18n import tr
from bot.render.attendance import notes_reply, pressed_reply, sheet_content, sheet_select
from bot.services.attendance import Sheet
from cogs.common import (
    PageButton,
    actor_of,
    custom_id_of,
    form_values,
    guild_id_of,
    member_names,
    payload_of,
    private,
)
from cogs.refs import AnyEvent

if TYPE_CHECKING:
    from bot.client import Bot

NOTES_ENGLISH, NOTES_WELSH, NOTES_LINK = "notes_en", "notes_cy", "link"  # the form's inputs
MODAL_TITLE_MAX = 45


def _bot(interaction: discord.Interaction) -> Bot:
    return interaction.client  # type: ignore[return-value]


async def sheet_message(
    interaction: discord.Interaction, sheet: Sheet, *, saved: bool = False
) -> tuple[str, discord.ui.View | None]:
    """One page of the sheet: what to do, the page's menu and Previous/Next."""
    names = await member_names(interaction, [entry.user_id for entry in sheet.entries])
    content = sheet_content(sheet.event, sheet.listed, sheet.page, sheet.pages, saved)
    if not sheet.entries:
        return content, None
    view = discord.ui.View(timeout=None)
    entries = [(e.user_id, e.status.value if e.status else None, e.there) for e in sheet.entries]
    view.add_item(sheet_select(sheet.event.id, sheet.page, entries, names))
    pager = SheetPageButton.pager(sheet.page, sheet.pages, lambda n: SheetPage(sheet.event.id, n))
    for item in pager.children if pager else []:
        view.add_item(item)
    view.stop()  # answered by the listener and the dynamic items, never by this view
    return content, view


class SheetPageButton(PageButton[SheetPage], template=SHEET_PAGE_ID.pattern):
    """Previous/Next on an organiser's attendance sheet."""

    encode = staticmethod(encode_sheet_page)
    decode = staticmethod(decode_sheet_page)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        sheet = await _bot(interaction).attendance_service.page(
            guild_id_of(interaction), actor_of(interaction), self.target.event_id, self.target.page
        )
        content, view = await sheet_message(interaction, sheet)
        await interaction.response.edit_message(content=content, view=view, embed=None)


def shown_in(interaction: discord.Interaction, custom_id: str) -> list[int]:
    """The members offered in the menu `custom_id` of the message the choice was made on."""
    message = interaction.message
    if message is None:
        return []
    for row in message.components:
        for child in getattr(row, "children", [row]):
            if getattr(child, "custom_id", None) == custom_id:
                return [int(o.value) for o in getattr(child, "options", []) if o.value.isdigit()]
    return []


def notes_form(event: Event, link: str | None) -> discord.ui.Modal:
    """The notes form, filled in with the notes there are; stateless like the sign form
    (cogs/letters.py): its custom_id names the event and the listener answers it."""
    modal = discord.ui.Modal(
        title=tr(text.NOTES_FORM_TITLE)[:MODAL_TITLE_MAX],
        timeout=None,
        custom_id=encode_notes_form(event.id),
    )
    for custom_id, label, value, style, limit in (
        (
            NOTES_ENGLISH,
            text.NOTES_FORM_ENGLISH,
            event.notes_en,
            discord.TextStyle.paragraph,
            NOTES_MAX,
        ),
        (
            NOTES_WELSH,
            text.NOTES_FORM_WELSH,
            event.notes_cy,
            discord.TextStyle.paragraph,
            NOTES_MAX,
        ),
        (NOTES_LINK, text.NOTES_FORM_LINK, link, discord.TextStyle.short, LINK_MAX),
    ):
        modal.add_item(
            discord.ui.TextInput(
                label=tr(label)[:MODAL_TITLE_MAX],
                custom_id=custom_id,
                style=style,
                default=value,
                max_length=limit,
                required=False,
            )
        )
    modal.stop()
    return modal


class AttendanceCommands(commands.Cog):
    """The /events cog's attendance and notes commands, and the listener for their
    components (a base of `cogs.events.Events`, never added as a cog of its own)."""

    bot: Bot

    @commands.Cog.listener("on_interaction")
    async def attendance_interaction(self, interaction: discord.Interaction) -> None:
        custom_id = custom_id_of(interaction)
        if interaction.type is discord.InteractionType.component:
            event_id = decode_attend(custom_id)
            if event_id is not None:
                await self._attend(interaction, event_id)
                return
            target = decode_sheet_select(custom_id)
            if target is not None:
                await self._ticked(interaction, target, custom_id)
        elif interaction.type is discord.InteractionType.modal_submit:
            event_id = decode_notes_form(custom_id)
            if event_id is not None:
                await self._notes_submitted(interaction, event_id)

    @guarded
    async def _attend(self, interaction: discord.Interaction, event_id: int) -> None:
        pressed = await self.bot.attendance_service.press(
            guild_id_of(interaction), interaction.user.id, event_id
        )
        await private(interaction, lambda: pressed_reply(pressed.event, pressed.given))

    @guarded
    async def _ticked(
        self, interaction: discord.Interaction, target: SheetPage, custom_id: str
    ) -> None:
        ticked = [int(v) for v in payload_of(interaction).get("values") or [] if str(v).isdigit()]
        sheet = await self.bot.attendance_service.tick(
            guild_id_of(interaction),
            actor_of(interaction),
            target.event_id,
            target.page,
            shown_in(interaction, custom_id),
            ticked,
        )
        content, view = await sheet_message(interaction, sheet, saved=True)
        await interaction.response.edit_message(content=content, view=view)

    @guarded
    async def _notes_submitted(self, interaction: discord.Interaction, event_id: int) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        values = form_values(interaction)
        event, notes, changed = await self.bot.attendance_service.save_notes(
            guild_id_of(interaction),
            actor_of(interaction),
            event_id,
            values.get(NOTES_ENGLISH) or None,
            values.get(NOTES_WELSH) or None,
            values.get(NOTES_LINK) or None,
        )
        await private(interaction, lambda: notes_reply(event, notes.empty, changed))

    @app_commands.command(name="attendance", description="Tick who came to an event (organisers)")
    @app_commands.describe(
        event="The event (from 30 minutes before it starts until 7 days after it ends)",
        others="How many people came who aren't on Discord (a whole number, 0 or more)",
    )
    async def attendance(
        self, interaction: discord.Interaction, event: AnyEvent, others: int | None = None
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        sheet = await self.bot.attendance_service.open_sheet(
            guild_id_of(interaction), actor_of(interaction), event, others
        )
        content, view = await sheet_message(interaction, sheet)
        await private(interaction, content, view=view)

    @app_commands.command(name="notes", description="Write an event's meeting notes (organisers)")
    @app_commands.describe(
        event="The event",
        link="A web address for more, e.g. the full minutes (http:// or https://)",
    )
    async def notes(
        self, interaction: discord.Interaction, event: AnyEvent, link: str | None = None
    ) -> None:
        current, prefilled = await self.bot.attendance_service.prepare_notes(
            guild_id_of(interaction), actor_of(interaction), event, link
        )
        await interaction.response.send_modal(notes_form(current, prefilled))
