"""Date polls: what a poll is, and the pure rules for its options, answers and winner.

A poll offers 2 to 10 start times, typed separated by `;`, each read like an event's
`when` (in the server zone, in the future, no two at the same instant). Members press the
options they can make, any number; pressing again takes it back. When the poll closes the
winner is the option with the most answers, a tie going to the earliest; a poll nobody
answered has no winner.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain.errors import UserError
from bot.domain.events import clean_line
from bot.domain.timeparse import ParsedWhen, parse_when

TITLE_MAX = 100  # the announced event's title is the poll's: the same limit
OPTIONS_MIN = 2
OPTIONS_MAX = 10
OPTIONS_TEXT_MAX = 1000  # ten options of up to 100 characters each, and their separators
SEPARATOR = ";"


@dataclass(frozen=True)
class PollOption:
    position: int  # 1-based, in the order typed
    starts_at: datetime  # aware, UTC


@dataclass(frozen=True)
class Poll:
    id: int
    guild_id: int
    channel_id: int
    message_id: int | None
    title: str
    series_id: int | None
    closes_at: datetime | None
    closed_at: datetime | None
    winner_position: int | None
    announced_event_id: int | None
    created_by: int
    created_at: datetime
    options: tuple[PollOption, ...]

    def is_closed(self, now: datetime) -> bool:
        """Closed by hand or by its job, or past its closing time (the job may be late)."""
        return self.closed_at is not None or (self.closes_at is not None and now >= self.closes_at)

    def option(self, position: int) -> PollOption | None:
        return next((o for o in self.options if o.position == position), None)

    @property
    def winner(self) -> PollOption | None:
        return None if self.winner_position is None else self.option(self.winner_position)


@dataclass(frozen=True)
class PollDraft:
    """A new poll's fields, checked."""

    title: str
    starts: tuple[datetime, ...]  # the options' times, in the order typed
    closes_at: datetime | None
    ambiguous: tuple[datetime, ...] = ()  # local times that happen twice (the first taken)


@dataclass(frozen=True)
class PollCounts:
    by_position: Mapping[int, int]  # answers per option (options nobody pressed: absent)
    members: int  # how many members pressed at least one option

    def of(self, position: int) -> int:
        return self.by_position.get(position, 0)


def clean_title(title: str | None) -> str:
    cleaned = clean_line(title, "title", TITLE_MAX)
    if cleaned is None:
        raise UserError("poll_title_missing")
    return cleaned


def split_options(text: str) -> list[str]:
    """The options as typed, `;` between them; blank pieces (a trailing `;`) left out."""
    return [piece for piece in (" ".join(p.split()) for p in text.split(SEPARATOR)) if piece]


def parse_options(text: str, now: datetime, tz: str) -> list[ParsedWhen]:
    """Each option read like `when`; a problem names the option (1-based) and the rule."""
    if len(text) > OPTIONS_TEXT_MAX:
        raise UserError("poll_options_too_long", limit=OPTIONS_TEXT_MAX, length=len(text))
    pieces = split_options(text)
    if len(pieces) < OPTIONS_MIN:
        raise UserError("poll_too_few_options", count=len(pieces), least=OPTIONS_MIN)
    if len(pieces) > OPTIONS_MAX:
        raise UserError("poll_too_many_options", count=len(pieces), most=OPTIONS_MAX)
    read: list[ParsedWhen] = []
    for number, piece in enumerate(pieces, start=1):
        try:
            when = parse_when(piece, now, tz)
        except UserError as error:
            raise UserError(f"poll_option_{error.key}", number=number, **error.params) from None
        same = next((n for n, earlier in enumerate(read, start=1) if earlier.at == when.at), None)
        if same is not None:
            raise UserError(
                "poll_option_duplicate", number=number, text=piece[:100], same=same, at=when.at
            )
        read.append(when)
    return read


def make_draft(
    *, title: str | None, options: str, closes: str | None, now: datetime, tz: str
) -> PollDraft:
    """/poll create's checks, all before anything is stored."""
    clean = clean_title(title)
    read = parse_options(options, now, tz)
    closes_at = parse_when(closes, now, tz).at if closes else None
    return PollDraft(
        title=clean,
        starts=tuple(when.at for when in read),
        closes_at=closes_at,
        ambiguous=tuple(when.local for when in read if when.ambiguous),
    )


def winner(options: Sequence[PollOption], counts: PollCounts) -> PollOption | None:
    """The option with the most answers, a tie to the earliest; None when nobody answered."""
    answered = [o for o in options if counts.of(o.position) > 0]
    if not answered:
        return None
    return min(answered, key=lambda o: (-counts.of(o.position), o.starts_at, o.position))


def check_answerable(poll: Poll, position: int, now: datetime) -> PollOption:
    """The option a member pressed, while the poll takes answers."""
    if poll.is_closed(now):
        raise UserError("poll_closed", title=poll.title)
    option = poll.option(position)
    if option is None:
        raise UserError("poll_option_missing", title=poll.title, number=position)
    return option


def check_announceable(poll: Poll, now: datetime) -> PollOption:
    """The winning option a closed poll can be announced at (once, in the future)."""
    if not poll.is_closed(now):
        raise UserError("poll_still_open", title=poll.title)
    found = poll.winner
    if found is None:
        raise UserError("poll_no_winner", title=poll.title)
    if found.starts_at <= now:
        raise UserError("poll_winner_past", title=poll.title, at=found.starts_at)
    return found
