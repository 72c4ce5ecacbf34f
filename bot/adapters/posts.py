"""The bot's posts in channels: the Discord side of the services' Announcer port."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import discord

from bot import text
from bot.clock import Clock, system_clock
from bot.domain.errors import UserError
from bot.domain.events import Event
from bot.domain.guilds import GuildSettings
from bot.domain.languages import Language
from bot.domain.rsvps import RSVP_EMOJI, RsvpCounts
from bot.i18n import tr
from bot.render.common import clip, safe
from bot.render.events import announcement_embeds, announcement_text, post_view
from bot.render.reminders import digest_embeds, reminder_content
from bot.services.ports import Mirrored

log = logging.getLogger(__name__)

Postable = discord.TextChannel | discord.Thread
SettingsOf = Callable[[int], Awaitable[GuildSettings]]


async def postable(client: discord.Client, channel_id: int) -> Postable:
    """A channel the bot's posts can go in, or a UserError saying what's wrong with it."""
    channel = client.get_channel(channel_id)
    if channel is None:
        try:
            channel = await client.fetch_channel(channel_id)
        except discord.NotFound:
            raise UserError("channel_not_text", channel=f"<#{channel_id}>") from None
        except discord.Forbidden:
            raise UserError("cannot_post", channel=f"<#{channel_id}>") from None
    if not isinstance(channel, Postable):
        raise UserError("channel_not_text", channel=f"<#{channel_id}>")
    return channel


class ChannelPoster:
    """What every poster of the bot's posts shares (announcements, letters, polls): the
    channel a post goes in, taking a post down again (best effort), and the server's
    settings, whose language mode and zone a public post is written in (`settings_of`;
    without it, English in the default zone)."""

    def __init__(self, client: discord.Client, settings_of: SettingsOf | None = None) -> None:
        self.client = client
        self.settings_of = settings_of

    async def _settings(self, guild_id: int) -> GuildSettings:
        if self.settings_of is None:
            return GuildSettings(guild_id)
        return await self.settings_of(guild_id)

    async def _channel(self, channel_id: int) -> Postable:
        return await postable(self.client, channel_id)

    async def withdraw(self, channel_id: int, message_id: int) -> None:
        try:
            channel = await self._channel(channel_id)
            await channel.get_partial_message(message_id).delete()
        except (discord.HTTPException, UserError) as exc:
            log.warning("could not take down message %d in %d: %s", message_id, channel_id, exc)


class DiscordAnnouncer(ChannelPoster):
    """Announcement posts; `clock` says whether a post takes attendance now (its "I was
    there" button) and is over (its count)."""

    def __init__(
        self,
        client: discord.Client,
        settings_of: SettingsOf | None = None,
        *,
        clock: Clock = system_clock,
    ) -> None:
        super().__init__(client, settings_of)
        self.clock = clock

    async def publish(
        self, event: Event, counts: RsvpCounts, settings: GuildSettings, *, ping: bool
    ) -> int:
        channel = await self._channel(event.channel_id)
        role_id = settings.ping_role_id if ping else None
        mentions = (
            discord.AllowedMentions(roles=[discord.Object(role_id)])
            if role_id
            else discord.AllowedMentions.none()
        )
        try:
            languages = settings.language.languages
            message = await channel.send(
                content=announcement_text(role_id, languages),
                embeds=announcement_embeds(event, counts, languages, settings.tz, now=self.clock()),
                view=post_view(languages, event=event, now=self.clock()),
                allowed_mentions=mentions,
            )
        except discord.Forbidden:
            raise UserError("cannot_post", channel=channel.mention) from None
        return message.id

    async def offer_rsvps(self, event: Event) -> None:
        """The three RSVP reactions under a new post (a post without them still works)."""
        assert event.message_id is not None
        try:
            channel = await self._channel(event.channel_id)
            message = channel.get_partial_message(event.message_id)
            for emoji in RSVP_EMOJI:
                await message.add_reaction(emoji)
        except (discord.HTTPException, UserError) as exc:
            log.warning("could not add RSVP reactions to %d: %s", event.message_id, exc)

    async def refresh(self, event: Event, counts: RsvpCounts) -> bool:
        if event.message_id is None:
            return False
        channel = await self._channel(event.channel_id)
        settings = await self._settings(event.guild_id)
        languages = settings.language.languages
        try:
            await channel.get_partial_message(event.message_id).edit(
                embeds=announcement_embeds(event, counts, languages, settings.tz, now=self.clock()),
                view=post_view(languages, event=event, now=self.clock()),
            )
        except discord.NotFound:
            log.info("announcement of event %d was deleted; it will be posted again", event.id)
            return False
        return True

    async def post_reminder(
        self, event: Event, counts: RsvpCounts, unreachable: Sequence[int], nonce: str
    ) -> None:
        channel = await self._channel(event.channel_id)
        settings = await self._settings(event.guild_id)
        await channel.send(
            reminder_content(event, counts, unreachable, settings.language.languages, settings.tz),
            allowed_mentions=discord.AllowedMentions.none(),
            nonce=nonce,
        )

    async def post_digest(
        self, channel_id: int, items: Sequence[tuple[Event, RsvpCounts]], nonce: str
    ) -> None:
        channel = await self._channel(channel_id)
        settings = await self._settings(channel.guild.id)
        embeds = digest_embeds(items, settings.language.languages, settings.tz)
        await channel.send(embeds=embeds, nonce=nonce)


NATIVE_NAME_MAX, NATIVE_LOCATION_MAX, NATIVE_DESCRIPTION_MAX = 100, 100, 1000


def native_text(event: Event, languages: Sequence[Language]) -> tuple[str, str]:
    """The Events-tab entry's name (in the mode's first language) and description (each
    language's, Welsh first, a repeat given once), within Discord's 100 and 1,000. The
    Events tab shows a description's markdown: shown as typed, like the post."""
    first = languages[0] if languages else Language.EN
    name = event.title_cy if first is Language.CY and event.title_cy else event.title
    texts = [
        event.description_cy if language is Language.CY and event.description_cy else None
        for language in languages
    ]
    parts = [safe(t) for t in dict.fromkeys(t or event.description for t in texts) if t]
    if len(parts) > 1:
        room = (NATIVE_DESCRIPTION_MAX - len(MIRROR_SEPARATOR)) // 2
        parts = [clip(part, room) for part in parts]
    return clip(name, NATIVE_NAME_MAX), clip(MIRROR_SEPARATOR.join(parts), NATIVE_DESCRIPTION_MAX)


MIRROR_SEPARATOR = "\n\n"


class DiscordMirror:
    """Events mirrored into the server's Events tab (external events with a place and an
    end), where the bot has Manage Events; without it the bot carries on and says why."""

    def __init__(self, client: discord.Client, settings_of: SettingsOf | None = None) -> None:
        self.client = client
        self.settings_of = settings_of  # the server's language mode, for the name and text

    async def _existing(
        self, guild: discord.Guild, native_id: int | None
    ) -> discord.ScheduledEvent | None:
        if native_id is None:
            return None
        try:
            return guild.get_scheduled_event(native_id) or await guild.fetch_scheduled_event(
                native_id
            )
        except discord.NotFound:
            return None

    async def sync(self, event: Event) -> Mirrored:
        guild = self.client.get_guild(event.guild_id)
        if guild is None:
            return Mirrored(event.native_event_id, tr(text.MIRROR_NO_SERVER))
        if not guild.me.guild_permissions.manage_events:
            return Mirrored(event.native_event_id, tr(text.MIRROR_NO_PERMISSION))
        settings = await self.settings_of(event.guild_id) if self.settings_of else GuildSettings(0)
        name, description = native_text(event, settings.language.languages)
        fields: dict[str, Any] = {
            "name": name,
            "description": description,
            "start_time": event.starts_at,
            "end_time": event.ends_at,
            "location": clip(event.place or tr(text.MIRROR_NO_PLACE), NATIVE_LOCATION_MAX),
            "privacy_level": discord.PrivacyLevel.guild_only,
            "entity_type": discord.EntityType.external,
        }
        try:
            native = await self._existing(guild, event.native_event_id)
            if native is not None and native.status in (
                discord.EventStatus.scheduled,
                discord.EventStatus.active,
            ):
                if native.status is discord.EventStatus.active:
                    fields.pop("start_time")  # Discord refuses to move a running event's start
                try:
                    await native.edit(**fields)
                    return Mirrored(native.id)
                except discord.NotFound:
                    pass  # deleted by hand since we last saw it: make it again
            elif native is not None:
                return Mirrored(native.id)  # finished or cancelled there: leave it be
            created = await guild.create_scheduled_event(**fields)
            return Mirrored(created.id)
        except discord.Forbidden:
            return Mirrored(event.native_event_id, tr(text.MIRROR_NO_PERMISSION))
        except discord.HTTPException as exc:
            log.warning("Events tab mirror of event %d failed: %s", event.id, exc)
            return Mirrored(event.native_event_id, tr(text.MIRROR_FAILED, error=exc.text[:200]))

    async def cancel(self, event: Event) -> Mirrored:
        guild = self.client.get_guild(event.guild_id)
        if guild is None:
            return Mirrored(event.native_event_id, tr(text.MIRROR_NO_SERVER))
        try:
            native = await self._existing(guild, event.native_event_id)
            if native is not None and native.status is discord.EventStatus.scheduled:
                await native.cancel()
        except discord.Forbidden:
            return Mirrored(event.native_event_id, tr(text.MIRROR_NO_PERMISSION))
        except discord.HTTPException as exc:
            log.warning("could not cancel the Events tab entry of event %d: %s", event.id, exc)
        return Mirrored(event.native_event_id)
