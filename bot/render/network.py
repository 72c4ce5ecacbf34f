"""The network's figures and members' data as members see them."""

from __future__ import annotations

import json
from typing import Any

import discord

from bot import text
from bot.domain.network import NetworkStats, Profile
from bot.render.common import COLOUR_INFO, safe


def stats_embed(stats: NetworkStats) -> discord.Embed:
    embed = discord.Embed(
        title=text.NETWORK_STATS_TITLE,
        description=text.NETWORK_HEADLINE.format(
            people=stats.people, organisations=stats.organisations
        )
        if stats.people
        else text.NETWORK_EMPTY,
        colour=COLOUR_INFO,
    )
    for count in stats.by_region[:25]:
        name = count.region.value if count.region else text.NETWORK_NO_REGION
        embed.add_field(
            name=name,
            value=text.NETWORK_REGION_LINE.format(
                people=count.people, organisations=count.organisations
            ),
        )
    return embed


def joined_reply(profile: Profile, new: bool) -> str:
    template = text.NETWORK_JOINED if new else text.NETWORK_UPDATED
    region = f" ({profile.region.value})" if profile.region else ""
    return template.format(organisation=safe(profile.organisation), region=region)


def mydata_file(held: dict[str, Any]) -> bytes:
    return json.dumps(held, indent=2, ensure_ascii=False, default=str).encode("utf-8")


def forgotten_reply(removed: dict[str, int]) -> str:
    parts = [
        text.PRIVACY_SECTIONS.get(label, label).format(count=count)
        for label, count in removed.items()
        if count
    ]
    if not parts:
        return text.PRIVACY_NOTHING
    return text.PRIVACY_FORGOTTEN.format(parts="; ".join(parts))
