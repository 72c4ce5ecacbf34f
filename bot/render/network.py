"""The network's figures and members' data as members see them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import discord

from bot import text
from bot.domain.attendance import HeldMeetings
from bot.domain.network import NetworkStats, Profile
from bot.i18n import ntr, tr
from bot.i18n.plurals import PLURALS
from bot.render.common import COLOUR_INFO, CONTENT_MAX, message_link, region_name, safe


def stats_embed(stats: NetworkStats, held: HeldMeetings | None = None) -> discord.Embed:
    embed = discord.Embed(
        title=tr(text.NETWORK_STATS_TITLE),
        description=tr(
            text.NETWORK_HEADLINE,
            people=ntr("MEMBER_WORDS", stats.people),
            organisations=ntr("LETTER_ORGANISATION_WORDS", stats.organisations),
        )
        if stats.people
        else tr(text.NETWORK_EMPTY),
        colour=COLOUR_INFO,
    )
    for count in stats.by_region[:25]:
        name = region_name(count.region) if count.region else tr(text.NETWORK_NO_REGION)
        embed.add_field(
            name=name,
            value=tr(
                text.NETWORK_REGION_LINE,
                people=ntr("MEMBER_WORDS", count.people),
                organisations=ntr("LETTER_ORGANISATION_WORDS", count.organisations),
            ),
        )
    if held is not None:
        embed.add_field(
            name=tr(text.NETWORK_MEETINGS_FIELD),
            value=" · ".join(
                (
                    ntr("NETWORK_MEETINGS_HELD", held.meetings),
                    ntr("ATTENDED_COUNT", held.attended),
                    ntr("ATTENDED_ORGANISATIONS", held.organisations),
                )
            ),
            inline=False,
        )
    return embed


def joined_reply(profile: Profile, new: bool) -> str:
    template = tr(text.NETWORK_JOINED) if new else tr(text.NETWORK_UPDATED)
    region = f" ({region_name(profile.region)})" if profile.region else ""
    return template.format(organisation=safe(profile.organisation), region=region)


def mydata_file(held: dict[str, Any]) -> bytes:
    return json.dumps(held, indent=2, ensure_ascii=False, default=str).encode("utf-8")


@dataclass(frozen=True)
class ReactionLeft:
    """A forgotten member's RSVP reaction the bot could not take off a post."""

    guild_id: int
    channel_id: int
    message_id: int
    emoji: str
    refused: bool  # Discord refused (no Manage Messages there), rather than failed


def forgotten_reply(removed: dict[str, int], left: Sequence[ReactionLeft] = ()) -> str:
    """What was deleted; then the reactions left on posts, each with where it is and how to
    take it off, as many as fit in one message."""
    parts = [
        ntr(f"PRIVACY_SECTIONS[{label}]", count)
        if f"PRIVACY_SECTIONS[{label}]" in PLURALS
        else tr(text.PRIVACY_SECTIONS.get(label, label), count=count)
        for label, count in removed.items()
        if count
    ]
    reply = (
        tr(text.PRIVACY_FORGOTTEN, parts="; ".join(parts)) if parts else tr(text.PRIVACY_NOTHING)
    )
    if not left:
        return reply
    lines = [reply, "", tr(text.PRIVACY_REACTIONS_LEFT)]
    closing = ["", tr(text.PRIVACY_REACTIONS_KEPT)]
    room = CONTENT_MAX - len("\n".join(lines + closing)) - len(tr(text.PRIVACY_REACTIONS_MORE)) - 12
    for shown, one in enumerate(left):
        template = (
            tr(text.PRIVACY_REACTION_REFUSED) if one.refused else tr(text.PRIVACY_REACTION_FAILED)
        )
        line = template.format(
            emoji=one.emoji,
            link=message_link(one.guild_id, one.channel_id, one.message_id),
            channel=f"<#{one.channel_id}>",
        )
        if len(line) + 1 > room:
            lines.append(ntr("PRIVACY_REACTIONS_MORE", len(left) - shown))
            break
        lines.append(line)
        room -= len(line) + 1
    return "\n".join(lines + closing)
