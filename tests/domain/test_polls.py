"""Date polls' pure rules: options read like `when`, their limits, and the winner."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.errors import UserError
from bot.domain.polls import (
    Poll,
    PollCounts,
    PollOption,
    check_announceable,
    check_answerable,
    make_draft,
    parse_options,
    split_options,
    winner,
)
from tests.support.dates import TZ, at_local, typed

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)  # a pure function's own `now`


def options(*days: int) -> str:
    return "; ".join(typed(at_local(NOW, days=day)) for day in days)


def refused(text: str, now: datetime = NOW) -> UserError:
    with pytest.raises(UserError) as caught:
        parse_options(text, now, TZ)
    return caught.value


def test_options_are_read_in_order_in_the_server_zone() -> None:
    read = parse_options(options(7, 14, 21), NOW, TZ)
    assert [w.at for w in read] == [at_local(NOW, days=d) for d in (7, 14, 21)]


def test_options_read_like_when_in_any_form_and_blank_pieces_are_left_out() -> None:
    read = parse_options("10 Dec 6:30pm;  2026-12-17 18:30 ; next friday 7pm;", NOW, TZ)
    assert len(read) == 3
    assert read[0].at == datetime(2026, 12, 10, 18, 30, tzinfo=UTC)
    assert split_options(" a ;; b ; ") == ["a", "b"]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("10 Dec 6pm", "poll_too_few_options"),
        ("", "poll_too_few_options"),
        (";".join(f"{d} Jan 2027 6pm" for d in range(1, 12)), "poll_too_many_options"),
    ],
)
def test_fewer_than_two_or_more_than_ten_options_are_refused(text: str, key: str) -> None:
    error = refused(text)
    assert error.key == key
    assert error.params["count"] == len(split_options(text))


def test_ten_options_are_allowed() -> None:
    assert len(parse_options(";".join(f"{d} Jan 2027 6pm" for d in range(1, 11)), NOW, TZ)) == 10


def test_an_option_in_the_past_names_the_option_and_the_rule() -> None:
    error = refused("10 Dec 6pm; 2026-12-01 18:00")
    assert error.key == "poll_option_when_past"
    assert error.params["number"] == 2 and error.params["text"] == "2026-12-01 18:00"


def test_an_unreadable_option_names_the_option() -> None:
    error = refused("when pigs fly; 10 Dec 6pm")
    assert error.key == "poll_option_when_unreadable"
    assert error.params["number"] == 1


def test_an_option_without_a_time_of_day_names_the_option() -> None:
    error = refused("10 Dec 6pm; 11 Dec; 12 Dec 6pm")
    assert (error.key, error.params["number"]) == ("poll_option_when_no_time", 2)


def test_the_same_instant_twice_is_refused_whatever_the_spelling() -> None:
    error = refused("10 Dec 6:30pm; 11 Dec 6pm; 2026-12-10 18:30")
    assert error.key == "poll_option_duplicate"
    assert (error.params["number"], error.params["same"]) == (3, 1)


def test_every_option_error_has_a_sentence_naming_the_option() -> None:
    from bot import text

    for key in ("when_unreadable", "when_no_time", "when_past", "when_too_far", "when_nonexistent"):
        assert text.ERRORS[f"poll_option_{key}"].startswith("Option {number}: ")


def test_draft_checks_title_and_closing_time() -> None:
    draft = make_draft(
        title="  S. Wales  Network Meeting ", options=options(7, 14), closes="8 Dec 5pm",
        now=NOW, tz=TZ,
    )  # fmt: skip
    assert draft.title == "S. Wales Network Meeting"
    assert draft.closes_at == datetime(2026, 12, 8, 17, 0, tzinfo=UTC)
    with pytest.raises(UserError) as caught:
        make_draft(title="   ", options=options(7, 14), closes=None, now=NOW, tz=TZ)
    assert caught.value.key == "poll_title_missing"
    with pytest.raises(UserError) as caught:
        make_draft(title="x", options=options(7, 14), closes="yesterday 5pm", now=NOW, tz=TZ)
    assert caught.value.key == "when_past"


def _options(*days: int) -> tuple[PollOption, ...]:
    return tuple(PollOption(n, NOW + timedelta(days=day)) for n, day in enumerate(days, start=1))


def test_the_winner_has_the_most_answers() -> None:
    found = winner(_options(7, 14, 21), PollCounts({1: 2, 2: 5, 3: 4}, 6))
    assert found is not None and found.position == 2


def test_a_tie_goes_to_the_earliest_time_not_the_first_typed() -> None:
    later_first = _options(21, 14, 7)  # option 3 is the earliest
    found = winner(later_first, PollCounts({1: 3, 2: 1, 3: 3}, 4))
    assert found is not None and found.position == 3


def test_nobody_answered_means_no_winner() -> None:
    assert winner(_options(7, 14), PollCounts({}, 0)) is None


def poll(**changes: object) -> Poll:
    base: dict[str, object] = {
        "id": 1, "guild_id": 1, "channel_id": 2, "message_id": 3, "title": "Meeting",
        "series_id": None, "closes_at": None, "closed_at": None, "winner_position": None,
        "announced_event_id": None, "created_by": 4, "created_at": NOW,
        "options": _options(7, 14),
    }  # fmt: skip
    base.update(changes)
    return Poll(**base)  # type: ignore[arg-type]


def test_answers_stop_once_closed_or_past_the_closing_time() -> None:
    assert check_answerable(poll(), 2, NOW).position == 2
    for closed in (poll(closed_at=NOW), poll(closes_at=NOW - timedelta(minutes=1))):
        with pytest.raises(UserError) as caught:
            check_answerable(closed, 1, NOW)
        assert caught.value.key == "poll_closed"
    with pytest.raises(UserError) as caught:
        check_answerable(poll(), 3, NOW)
    assert caught.value.key == "poll_option_missing"


def test_only_a_closed_poll_with_a_future_winner_can_be_announced() -> None:
    with pytest.raises(UserError) as caught:
        check_announceable(poll(), NOW)
    assert caught.value.key == "poll_still_open"
    with pytest.raises(UserError) as caught:
        check_announceable(poll(closed_at=NOW), NOW)
    assert caught.value.key == "poll_no_winner"
    won = poll(closed_at=NOW, winner_position=2)
    assert check_announceable(won, NOW).position == 2
    with pytest.raises(UserError) as caught:
        check_announceable(won, NOW + timedelta(days=15))
    assert caught.value.key == "poll_winner_past"
