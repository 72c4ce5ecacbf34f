"""The network counting itself: members' profiles and the headline figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.errors import UserError
from bot.domain.events import Region
from bot.domain.letters import clean_organisation


@dataclass(frozen=True)
class Profile:
    guild_id: int
    user_id: int
    organisation: str
    region: Region | None
    joined_at: datetime


@dataclass(frozen=True)
class RegionCount:
    region: Region | None
    people: int
    organisations: int


@dataclass(frozen=True)
class NetworkStats:
    people: int
    organisations: int
    by_region: list[RegionCount]


def profile_organisation(organisation: str) -> str:
    cleaned = clean_organisation(organisation)
    if cleaned is None:
        raise UserError("network_organisation_missing")
    return cleaned
