"""The bot's posts in channels: the Discord side of the services' Announcer port."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import discord

from bot import text
from bot.domain.errors import UserError
from bot.domain.events import Event
from bot.domain.guilds import GuildSettings
from bot.domain.rsvps import RSVP_EMOJI, RsvpCounts
from bot.i18n import tr
from bot.render.common import clip, safe
from bot.render.events import announcement_content, event_embed, post_view
from bot.render.reminders import digest_embed, reminder_post
from bot.services.ports import Mirrored

log = logging.getLogger(__name__)

Postable = discord.TextChannel | discord.Thread


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
    channel a post goes in, and taking a post down again (best effort)."""

    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def _channel(self, channel_id: int) -> Postable:
        return await postable(self.client, channel_id)

    async def withdraw(self, channel_id: int, message_id: int) -> None:
        try:
            channel = await self._channel(channel_id)
            await channel.get_partial_message(message_id).delete()
        except (discord.HTTPException, UserError) as exc:
            log.warning("could not take down message %d in %d: %s", message_id, channel_id, exc)


class DiscordAnnouncer(ChannelPoster):
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
            message = await channel.send(
                content=announcement_content(role_id),
                embed=event_embed(event, counts),
                view=post_view(),
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
        try:
            await channel.get_partial_message(event.message_id).edit(
                embed=event_embed(event, counts)
            )
        except discord.NotFound:
            log.info("announcement of event %d was deleted; it will be posted again", event.id)
            return False
        return True

    async def post_reminder(
        self, event: Event, counts: RsvpCounts, unreachable: Sequence[int], nonce: str
    ) -> None:
        channel = await self._channel(event.channel_id)
        await channel.send(
            reminder_post(event, counts, unreachable),
            allowed_mentions=discord.AllowedMentions.none(),
            nonce=nonce,
        )

    async def post_digest(
        self, channel_id: int, items: Sequence[tuple[Event, RsvpCounts]], nonce: str
    ) -> None:
        channel = await self._channel(channel_id)
        await channel.send(embed=digest_embed(items), nonce=nonce)


NATIVE_NAME_MAX, NATIVE_LOCATION_MAX, NATIVE_DESCRIPTION_MAX = 100, 100, 1000


class DiscordMirror:
    """Events mirrored into the server's Events tab (external events with a place and an
    end), where the bot has Manage Events; without it the bot carries on and says why."""

    def __init__(self, client: discord.Client) -> None:
        self.client = client

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
        fields: dict[str, Any] = {
            "name": clip(event.title, NATIVE_NAME_MAX),
            # The Events tab shows a description's markdown: shown as typed, like the post.
            "description": clip(safe(event.description or ""), NATIVE_DESCRIPTION_MAX),
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
