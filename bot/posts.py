"""The bot's posts in channels: the Discord side of the services' Announcer port."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import discord

from bot.domain.errors import UserError
from bot.domain.events import Event
from bot.domain.guilds import GuildSettings
from bot.domain.rsvps import RSVP_EMOJI, RsvpCounts
from bot.render.events import announcement_content, event_embed
from bot.render.reminders import digest_embed, reminder_post

log = logging.getLogger(__name__)

Postable = discord.TextChannel | discord.Thread


class DiscordAnnouncer:
    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def _channel(self, channel_id: int) -> Postable:
        channel = self.client.get_channel(channel_id)
        if channel is None:
            try:
                channel = await self.client.fetch_channel(channel_id)
            except discord.NotFound:
                raise UserError("channel_not_text", channel=f"<#{channel_id}>") from None
            except discord.Forbidden:
                raise UserError("cannot_post", channel=f"<#{channel_id}>") from None
        if not isinstance(channel, Postable):
            raise UserError("channel_not_text", channel=f"<#{channel_id}>")
        return channel

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
                allowed_mentions=mentions,
            )
        except discord.Forbidden:
            raise UserError("cannot_post", channel=channel.mention) from None
        if not event.cancelled:
            await self._offer_rsvps(message)
        return message.id

    async def _offer_rsvps(self, message: discord.Message) -> None:
        """The three RSVP reactions under a new post (a post without them still works)."""
        try:
            for emoji in RSVP_EMOJI:
                await message.add_reaction(emoji)
        except discord.HTTPException as exc:
            log.warning("could not add RSVP reactions to %d: %s", message.id, exc)

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

    async def withdraw(self, channel_id: int, message_id: int) -> None:
        try:
            channel = await self._channel(channel_id)
            await channel.get_partial_message(message_id).delete()
        except (discord.HTTPException, UserError) as exc:
            log.warning("could not take down message %d in %d: %s", message_id, channel_id, exc)
