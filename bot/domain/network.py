"""The network counting itself: members' profiles and the headline figures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.domain.errors import UserError
from bot.domain.events import Region
from bot.domain.organisations import clean_organisation_name, match_key


@dataclass(frozen=True)
class Profile:
    guild_id: int
    user_id: int
    organisation: str
    region: Region | None
    joined_at: datetime
    organisation_cy: str | None = None  # the record's Welsh name, if it has one


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
    return clean_organisation_name(organisation)


def find_region(typed: str | None, names: Mapping[str, Region], listed: str) -> Region | None:
    """The region a member typed (a form has no menus): any of its names (`names`, by
    match_key), ignoring case and punctuation; empty is none. Unknown: refused, with
    `listed`, the regions' names in the member's language."""
    if typed is None or not typed.strip():
        return None
    found = names.get(match_key(typed))
    if found is None:
        raise UserError("welcome_region_unknown", text=typed.strip()[:40], regions=listed)
    return found
