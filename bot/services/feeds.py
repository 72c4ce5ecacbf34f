"""Calendar feeds: hand out a feed URL's token, resolve a token, and read what the feed holds.

A token is random (`secrets.token_urlsafe(24)`); only its SHA-256 is stored, looked up by that
hash and compared in constant time. `/events subscribe` without `reset` hands out a new URL
and leaves the member's earlier ones working (at most `TOKENS_PER_KIND` of one kind: a further
one retires the oldest); with `reset` every earlier URL of that kind stops working (404).

A feed is the server's posted events not over more than 30 days ago, of any status, so a
cancellation reaches subscribed calendars as STATUS:CANCELLED (with the SEQUENCE the cancel
raised); `region` narrows it, `mine` keeps the events the member said going or maybe to
(a member waiting for a place said going: their calendar shows it, and the cancellation). The
calendar itself is rendered by the one generator, bot/render/calendar.py `event_calendar`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.clock import Clock
from bot.db import Database
from bot.domain.events import Event, Region
from bot.domain.feeds import (
    FEED_MAX,
    FEED_PAST,
    TOKENS_PER_KIND,
    feed_since,
    looks_like_token,
    new_token,
    same_hash,
    token_hash,
)
from bot.domain.languages import Language
from bot.services.ports import Guilds
from bot.stores.common import from_unix
from bot.stores.feeds import FeedStore

KEPT = 1024  # tokens and feed states kept in memory, the least recently asked for dropped


@dataclass(frozen=True)
class FeedSpec:
    """What a token stands for."""

    guild_id: int
    user_id: int
    mine: bool
    region: Region | None
    created_at: datetime

    @property
    def key(self) -> Hashable:
        """Feeds that show the same thing, whoever's URL they are, share this."""
        return (self.guild_id, self.mine, self.user_id if self.mine else 0, self.region)


@dataclass(frozen=True)
class Issued:
    token: str
    retired: int  # earlier URLs of this kind that stopped working


@dataclass(frozen=True)
class FeedState:
    """What a feed holds, in figures read without the events: equal figures (and zone), the
    same calendar, so a rendered feed can be kept until they change."""

    tz: str
    figures: tuple[int, ...]  # FeedStore.fingerprint: count, latest change, SEQUENCEs, ids, posts
    latest: datetime | None  # the latest change to an event in it
    answered: datetime | None  # a personal feed: the member's latest answer
    languages: tuple[Language, ...] = (Language.EN,)  # the server's mode: the feed's Welsh

    @property
    def content(self) -> tuple[object, ...]:
        return (self.tz, self.languages, self.figures)

    def last_modified(self, spec: FeedSpec) -> datetime:
        """The latest change to what the feed shows, or when its URL was made."""
        return max(at for at in (self.latest, self.answered, spec.created_at) if at is not None)


class FeedService:
    def __init__(self, db: Database, clock: Clock, guilds: Guilds) -> None:
        self.db = db
        self.clock = clock
        self.guilds = guilds
        self.store = FeedStore(db)
        # Kept between polls while nothing is written (`Database.changes` unchanged): what a
        # token stands for, and a feed's state (also until its first event leaves the
        # window). A reset or a forget is a write, so a retired token is never served.
        self._specs: OrderedDict[str, tuple[int, FeedSpec]] = OrderedDict()
        self._states: OrderedDict[Hashable, _KeptState] = OrderedDict()

    async def issue(
        self, guild_id: int, user_id: int, *, region: Region | None, mine: bool, reset: bool
    ) -> Issued:
        """A new token for the member's feed of this kind; `reset` retires the earlier ones."""
        token = new_token()
        async with self.db.transaction():
            earlier = await self.store.of_kind(guild_id, user_id, mine, region)
            retire = earlier if reset else earlier[: max(0, len(earlier) - TOKENS_PER_KIND + 1)]
            retired = await self.store.delete([row.id for row in retire])
            await self.store.insert(
                token_hash(token), guild_id, user_id, mine, region, self.clock()
            )
        return Issued(token, retired)

    async def resolve(self, token: str) -> FeedSpec | None:
        """What the token stands for, or None for a malformed, unknown or retired one."""
        if not looks_like_token(token):
            return None
        computed = token_hash(token)
        changes = self.db.changes
        kept = self._specs.get(computed)
        if kept is not None and kept[0] == changes:
            self._specs.move_to_end(computed)
            return kept[1]
        async with self.db.reading():
            row = await self.store.by_hash(computed)
        if row is None or not same_hash(row.token_hash, computed):
            return None
        spec = FeedSpec(row.guild_id, row.user_id, row.mine, row.region, row.created_at)
        _keep(self._specs, computed, (changes, spec))
        return spec

    async def state(self, spec: FeedSpec, now: datetime | None = None) -> FeedState:
        """The feed's figures now (one aggregate query, however many events it holds; none
        while nothing was written and no event has left the window since the last)."""
        now = now or self.clock()
        key = spec.key
        changes = self.db.changes
        kept = self._states.get(key)
        if kept is not None and kept.changes == changes and kept.since <= now < kept.until:
            self._states.move_to_end(key)
            return kept.state
        state = await self._read_state(spec, now)
        ends = state.figures[5] if state.figures[0] else None
        until = (
            from_unix(ends) + FEED_PAST if ends is not None else datetime.max.replace(tzinfo=UTC)
        )
        _keep(self._states, key, _KeptState(changes, now, until, state))
        return state

    async def _read_state(self, spec: FeedSpec, now: datetime) -> FeedState:
        since = feed_since(now)
        settings = await self.guilds.settings(spec.guild_id)
        member = spec.user_id if spec.mine else None
        async with self.db.reading():
            figures = await self.store.fingerprint(spec.guild_id, since, spec.region, member)
            answered = (
                await self.store.answered_at(spec.guild_id, spec.user_id, since)
                if spec.mine
                else None
            )
        latest = from_unix(figures[1]) if figures[0] else None
        return FeedState(settings.tz, figures, latest, answered, settings.language.languages)

    async def events(self, spec: FeedSpec, now: datetime | None = None) -> list[Event]:
        """The events the feed holds now, soonest first."""
        since = feed_since(now or self.clock())
        member = spec.user_id if spec.mine else None
        async with self.db.reading():
            return await self.store.events(spec.guild_id, since, spec.region, member, FEED_MAX)


@dataclass(frozen=True)
class _KeptState:
    changes: int  # Database.changes when it was read
    since: datetime  # the feed's `now` when it was read
    until: datetime  # when its first event leaves the window
    state: FeedState


def _keep(kept: OrderedDict[Any, Any], key: Any, value: Any) -> None:
    kept[key] = value
    kept.move_to_end(key)
    while len(kept) > KEPT:
        kept.popitem(last=False)
