"""The welcome panel (`/setup welcome` posts it): buttons to choose a language, join the
network list, take or drop the event ping role and get the calendar feed.

Stateless: each button's custom_id names what it does (`welcome:<action>`, a DynamicItem),
and the join form's submission is answered from its custom_id by a listener, like the
letters' sign form, so a panel posted before a restart (and a form opened before one)
works all the same."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot import text
from bot.adapters.errors import guarded
from bot.custom_ids import WELCOME_ID, WELCOME_JOIN_FORM_ID, decode_welcome, encode_welcome
from bot.domain.errors import UserError
from bot.domain.events import Region
from bot.domain.languages import Language
from bot.domain.network import find_region
from bot.domain.organisations import NAME_MAX, match_key
from bot.i18n import gettext, set_voice, tr
from bot.render.feeds import feed_url, subscribe_reply
from bot.render.network import joined_reply
from bot.render.welcome import welcome_embeds, welcome_labels
from cogs.common import actor_of, custom_id_of, form_values, guild_id_of, private

if TYPE_CHECKING:
    from bot.client import Bot

FORM_ORGANISATION, FORM_REGION = "organisation", "region"
STYLES = {
    "cy": discord.ButtonStyle.primary,
    "en": discord.ButtonStyle.primary,
    "join": discord.ButtonStyle.success,
}


def _bot(interaction: discord.Interaction) -> Bot:
    return interaction.client  # type: ignore[return-value]


class WelcomeButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=WELCOME_ID.pattern):
    """One of the panel's buttons; what it does is in its custom_id."""

    def __init__(self, action: str, words: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                label=words or action,
                style=STYLES.get(action, discord.ButtonStyle.secondary),
                custom_id=encode_welcome(action),
            )
        )
        self.action = action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any, /
    ) -> WelcomeButton:
        action = decode_welcome(match.string)
        if action is None:
            raise ValueError(f"bad welcome id {match.string!r}")
        return cls(action)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        if self.action in ("cy", "en"):
            await choose_language(interaction, self.action)
        elif self.action == "join":
            await interaction.response.send_modal(join_form(interaction))
        elif self.action == "ping":
            await toggle_ping(interaction)
        else:
            await send_feed(interaction)


def panel_view(languages: tuple[Language, ...], *, feed: bool) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for action, words in welcome_labels(languages, feed=feed):
        view.add_item(WelcomeButton(action, words))
    return view


async def post_panel(interaction: discord.Interaction, channel: discord.TextChannel) -> None:
    """/setup welcome: post the panel in `channel`, then delete the one it replaces."""
    bot = _bot(interaction)
    guild_id = guild_id_of(interaction)
    settings = await bot.welcome_service.check_poster(guild_id, actor_of(interaction))
    me = interaction.guild.me if interaction.guild else None
    perms = channel.permissions_for(me) if me else None
    if perms is not None and not (perms.view_channel and perms.send_messages and perms.embed_links):
        raise UserError("welcome_cannot_post", channel=channel.mention)
    await interaction.response.defer(ephemeral=True, thinking=True)
    feed = bot.settings.web_port is not None
    languages = settings.language.languages
    try:
        message = await channel.send(
            embeds=welcome_embeds(languages, settings.tz, feed=feed),
            view=panel_view(languages, feed=feed),
        )
    except discord.Forbidden as error:
        raise UserError("welcome_cannot_post", channel=channel.mention) from error
    old = await bot.welcome_service.placed(guild_id, channel.id, message.id)
    if old is not None:
        try:
            await bot.http.delete_message(old[0], old[1])
        except discord.HTTPException:
            pass  # gone already, or no longer ours to delete: the new one stands
    reply = text.WELCOME_MOVED if old is not None else text.WELCOME_POSTED
    await private(interaction, lambda: tr(reply, channel=channel.mention, link=message.jump_url))


async def choose_language(interaction: discord.Interaction, language: str) -> None:
    """The same as /language: saved, and the answer already in the language chosen."""
    bot = _bot(interaction)
    guild_id = guild_id_of(interaction)
    chosen = await bot.language_service.choose(guild_id, interaction.user.id, language)
    voice = await bot.language_service.voice(guild_id, interaction.user.id)
    interaction.extras["voice"] = voice
    set_voice(voice)
    name = tr(text.LANGUAGE_NAMES[chosen.value])
    await private(interaction, lambda: tr(text.LANGUAGE_SAVED, language=name))


def join_form(interaction: discord.Interaction) -> discord.ui.Modal:
    """Organisation and region, in the member's language. Never registered with discord.py:
    `Welcome.on_interaction` answers its submission from the custom_id alone."""
    modal = discord.ui.Modal(
        title=tr(text.WELCOME_FORM_TITLE)[:45], timeout=None, custom_id=WELCOME_JOIN_FORM_ID
    )
    modal.add_item(
        discord.ui.TextInput(
            label=tr(text.WELCOME_FORM_ORGANISATION)[:45],
            custom_id=FORM_ORGANISATION,
            max_length=NAME_MAX,
        )
    )
    modal.add_item(
        discord.ui.TextInput(
            label=tr(text.WELCOME_FORM_REGION)[:45],
            custom_id=FORM_REGION,
            placeholder=", ".join(_region_name(r) for r in Region)[:100],
            max_length=40,
            required=False,
        )
    )
    modal.stop()
    return modal


def _region_name(region: Region) -> str:
    return tr(text.REGION_NAMES[region.value])


def _region_names() -> dict[str, Region]:
    """Every name a member may type for a region: English, Welsh, its short name."""
    names: dict[str, Region] = {}
    for region in Region:
        english = text.REGION_NAMES[region.value]
        for spelling in (region.value, region.name, english, gettext(Language.CY, english)):
            names.setdefault(match_key(spelling), region)
    return names


@guarded
async def submit_join_form(cog: Any, interaction: discord.Interaction) -> None:
    values = form_values(interaction)
    region = find_region(
        values.get(FORM_REGION),
        _region_names(),
        ", ".join(_region_name(r) for r in Region),
    )
    await interaction.response.defer(ephemeral=True, thinking=True)  # writes: may wait
    profile, new = await _bot(interaction).network_service.join(
        guild_id_of(interaction), interaction.user.id, values.get(FORM_ORGANISATION, ""), region
    )
    await private(interaction, lambda: joined_reply(profile, new))


async def toggle_ping(interaction: discord.Interaction) -> None:
    """Take the event ping role, or drop it. The bot needs Manage Roles and the role below
    its own highest: when it can't, the member is told exactly what a manager must change."""
    bot = _bot(interaction)
    guild = interaction.guild
    member = interaction.user
    role_id = await bot.welcome_service.ping_role(guild_id_of(interaction))
    role = guild.get_role(role_id) if guild else None
    if guild is None or role is None or not isinstance(member, discord.Member):
        raise UserError("welcome_no_ping_role")
    me = guild.me
    if not me.guild_permissions.manage_roles:
        raise UserError("welcome_ping_no_permission", role=role.mention)
    if role >= me.top_role:
        raise UserError("welcome_ping_role_too_high", role=role.mention)
    await interaction.response.defer(ephemeral=True, thinking=True)
    has = any(r.id == role.id for r in member.roles)
    try:
        if has:
            await member.remove_roles(role, reason="welcome panel: event pings off")
        else:
            await member.add_roles(role, reason="welcome panel: event pings on")
    except discord.Forbidden as error:
        raise UserError("welcome_ping_no_permission", role=role.mention) from error
    if has:
        await private(interaction, lambda: tr(text.WELCOME_PING_OFF))
    else:
        await private(interaction, lambda: tr(text.WELCOME_PING_ON, role=role.mention))


async def send_feed(interaction: discord.Interaction) -> None:
    """The member's live calendar feed of the server's events: as /events subscribe."""
    bot = _bot(interaction)
    if bot.settings.web_port is None:
        await private(interaction, lambda: tr(text.SUBSCRIBE_WEB_OFF))
        return
    await interaction.response.defer(ephemeral=True, thinking=True)  # writes: may wait
    issued = await bot.services.feeds.issue(
        guild_id_of(interaction), interaction.user.id, region=None, mine=False, reset=False
    )
    url = feed_url(bot.settings.public_base, issued.token)
    await private(
        interaction,
        lambda: subscribe_reply(url, mine=False, region=None, retired=issued.retired),
    )


class Welcome(commands.Cog):
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        if custom_id_of(interaction) == WELCOME_JOIN_FORM_ID:
            await submit_join_form(self, interaction)


async def setup(bot: Bot) -> None:
    await bot.add_cog(Welcome(bot))
    bot.add_dynamic_items(WelcomeButton)
