"""A server's settings and who may do what there: pure rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import time, timedelta

from bot.domain.errors import UserError
from bot.domain.languages import Mode
from bot.domain.retention import RETENTION_DEFAULT

DEFAULT_TZ = "Europe/London"
DEFAULT_OFFSETS = (timedelta(days=7), timedelta(days=1), timedelta(hours=1))
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class GuildSettings:
    guild_id: int
    announcements_channel_id: int | None = None
    organiser_role_id: int | None = None
    ping_role_id: int | None = None
    tz: str = DEFAULT_TZ
    reminder_offsets: tuple[timedelta, ...] = field(default=DEFAULT_OFFSETS)
    digest_enabled: bool = True
    digest_day: str = "monday"
    digest_time: time = time(9, 0)
    mirror_problem: str | None = None  # why events are not mirrored into the Events tab
    retention_months: int = RETENTION_DEFAULT  # who answered or signed goes after this
    language: Mode = Mode.EN  # of public posts, and of replies to members who haven't chosen


@dataclass(frozen=True)
class Actor:
    """Who is acting, as far as permissions go: plain facts read off a Discord member."""

    user_id: int
    role_ids: frozenset[int]
    administrator: bool = False
    manage_guild: bool = False
    manage_events: bool = False

    @classmethod
    def of(
        cls,
        user_id: int,
        role_ids: Iterable[int],
        *,
        administrator: bool = False,
        manage_guild: bool = False,
        manage_events: bool = False,
    ) -> Actor:
        return cls(user_id, frozenset(role_ids), administrator, manage_guild, manage_events)


def is_organiser(actor: Actor, settings: GuildSettings) -> bool:
    """Manage Events, Administrator, or the server's organiser role (SPEC "Words")."""
    if actor.administrator or actor.manage_events:
        return True
    return settings.organiser_role_id is not None and settings.organiser_role_id in actor.role_ids


def is_admin(actor: Actor) -> bool:
    """Server settings are for Manage Server (or Administrator)."""
    return actor.administrator or actor.manage_guild


def require_own_channel(channel_id: int | None, can_post_there: bool) -> None:
    """A `channel:` an organiser names (on /events create and /letter create) must be one they
    can see and send messages in themselves: the bot posts for them, not past the server's
    own rules. Leaving it out (the announcements channel) needs nothing more."""
    if channel_id is not None and not can_post_there:
        raise UserError("channel_not_yours", channel=f"<#{channel_id}>")
