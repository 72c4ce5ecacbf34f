"""Rendering date polls: every time a Discord timestamp, labels in the server's zone, member
text shown as typed and never pinging, embeds within Discord's limits at maximum lengths."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import text
from bot.domain.languages import Language
from bot.domain.polls import OPTIONS_MAX, TITLE_MAX, Poll, PollCounts, PollOption
from bot.i18n import speaking
from bot.render.common import CHOICE_NAME_MAX, embed_size_ok
from bot.render.polls import (
    BUTTON_LABEL_MAX,
    choice_label,
    closed_reply,
    created_reply,
    list_embed,
    option_label,
    poll_embed,
    pressed_reply,
)

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)  # a pure function's own `now`
HOSTILE = "@everyone **bold** <@123> [link](https://example.com) "


def poll(title: str = "Meeting", **changes: object) -> Poll:
    fields: dict[str, object] = {
        "id": 7, "guild_id": 1, "channel_id": 2, "message_id": 3, "title": title,
        "series_id": None, "closes_at": None, "closed_at": None, "winner_position": None,
        "announced_event_id": None, "created_by": 4, "created_at": NOW,
        "options": tuple(
            PollOption(n, NOW + timedelta(days=n)) for n in range(1, OPTIONS_MAX + 1)
        ),
    }  # fmt: skip
    fields.update(changes)
    return Poll(**fields)  # type: ignore[arg-type]


def test_labels_are_the_servers_wall_time() -> None:
    summer = PollOption(1, datetime(2027, 7, 1, 17, 30, tzinfo=UTC))
    assert option_label(summer, "Europe/London") == "1. Thu 01 Jul 18:30"
    assert option_label(PollOption(10, NOW), "Europe/London") == "10. Thu 03 Dec 12:00"
    assert len(option_label(summer, "Europe/London")) <= BUTTON_LABEL_MAX


def test_the_post_lists_each_option_as_a_timestamp_with_its_count() -> None:
    shown = poll_embed(poll(), PollCounts({2: 5}, 5), NOW)
    lines = (shown.description or "").splitlines()
    assert f"**2.** <t:{int((NOW + timedelta(days=2)).timestamp())}:F> · 5" in lines
    assert shown.footer.text == text.POLL_FOOTER_OPEN.format(id=7)


def test_a_closed_poll_marks_its_winner() -> None:
    closed = poll(closed_at=NOW, winner_position=3)
    shown = poll_embed(closed, PollCounts({3: 2, 1: 1}, 2), NOW)
    assert (shown.title or "").startswith("CLOSED:")
    assert any(row.startswith("🏆 **3.**") for row in (shown.description or "").splitlines())
    reply = closed_reply(closed, PollCounts({3: 2}, 2), now_closed=True, event_link=None)
    assert "(2 of 2)" in reply and text.BUTTON_POLL_ANNOUNCE in reply


def test_member_text_is_shown_as_typed_and_never_pings_at_the_longest() -> None:
    title = (HOSTILE * 10)[:TITLE_MAX]
    long = poll(title, closed_at=NOW, winner_position=1)
    counts = PollCounts({n: 999_999 for n in range(1, OPTIONS_MAX + 1)}, 999_999)
    for shown in (poll_embed(long, counts, NOW), list_embed([(long, counts)] * 25, 40)):
        assert embed_size_ok(shown)
    embed = poll_embed(long, counts, NOW)
    assert "@everyone" not in (embed.title or "").replace("@\u200beveryone", "")
    assert "\\*\\*bold\\*\\*" in (embed.title or "")
    reply = pressed_reply(long, long.options[0], True, list(long.options))
    assert "@everyone" not in reply.replace("@\u200beveryone", "")
    assert len(choice_label(long, NOW)) <= CHOICE_NAME_MAX


def test_a_time_that_happens_twice_is_named_in_the_readers_language() -> None:
    # 01:30 on the night the clocks go back happens twice in London (the first is taken).
    twice = datetime(2027, 10, 31, 1, 30, tzinfo=ZoneInfo("Europe/London"))
    with speaking(Language.EN):
        english = created_reply(poll(), [twice])
    with speaking(Language.CY):
        cymraeg = created_reply(poll(), [twice])
    assert english.endswith(text.POLL_CREATED_AMBIGUOUS.format(locals="Sun 31 Oct 01:30"))
    assert "Sul 31 Hyd 01:30" in cymraeg and "Sun" not in cymraeg and "Oct" not in cymraeg
