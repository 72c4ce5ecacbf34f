"""Rendering: within every Discord limit at maximum lengths; member text never pings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord
import pytest

from bot.domain.events import (
    DESCRIPTION_MAX,
    HOST_MAX,
    PLACE_MAX,
    REASON_MAX,
    TITLE_MAX,
    Event,
    EventStatus,
    Kind,
    Region,
)
from bot.render.common import clip, embed_size_ok, safe
from bot.render.events import (
    choice_label,
    created_reply,
    event_embed,
    info_embed,
    list_embed,
)

START = datetime(2026, 12, 3, 18, 30, tzinfo=UTC)


def make_event(**changes: object) -> Event:
    fields: dict[str, object] = dict(
        id=42,
        guild_id=1,
        title="S. Wales Network Meeting 4",
        starts_at=START,
        ends_at=START + timedelta(hours=2),
        place="United Welsh Housing, Caerphilly",
        host="United Welsh Housing",
        region=Region.SOUTH,
        kind=Kind.MEETING,
        description="Our fourth South Wales meeting.",
        channel_id=2,
        message_id=3,
        status=EventStatus.SCHEDULED,
        cancel_reason=None,
        created_by=4,
        created_at=START - timedelta(days=5),
        updated_at=START - timedelta(days=5),
    )
    fields.update(changes)
    return Event(**fields)  # type: ignore[arg-type]


LONGEST = make_event(
    title="W" * TITLE_MAX,
    place="ŵ" * PLACE_MAX,
    host="ŷ" * HOST_MAX,
    description=("Co-production in action. " * 200)[:DESCRIPTION_MAX],
    status=EventStatus.CANCELLED,
    cancel_reason="r" * REASON_MAX,
)


def test_embed_shows_discord_timestamps_and_fields() -> None:
    embed = event_embed(make_event())
    when = embed.fields[0].value or ""
    unix = int(START.timestamp())
    assert f"<t:{unix}:F>" in when and f"<t:{unix}:R>" in when
    assert "2h" in when
    names = [f.name for f in embed.fields]
    assert names == ["When", "Where", "Hosted by", "Region", "Kind"]


@pytest.mark.parametrize("render", [event_embed, info_embed])
def test_longest_event_stays_within_limits(render) -> None:  # type: ignore[no-untyped-def]
    embed = render(LONGEST)
    assert embed_size_ok(embed)
    assert (embed.title or "").startswith("CANCELLED: ")


def test_full_list_page_stays_within_limits() -> None:
    events = [LONGEST] * 10
    embed = list_embed(
        past=False, events=events, page=0, pages=5, total=50, region=Region.NORTH, kind=Kind.SEMINAR
    )
    assert embed_size_ok(embed)
    assert len(embed.fields) == 10


def test_empty_list_says_how_to_add() -> None:
    embed = list_embed(
        past=False, events=[], page=0, pages=1, total=0, region=Region.MID, kind=None
    )
    assert "/events create" in (embed.description or "")
    assert "Mid Wales" in (embed.description or "")


@pytest.mark.parametrize(
    "hostile",
    [
        "@everyone come!",
        "@here now",
        "<@&123456789012345678> role",
        "<@123456789012345678> hi",
        "<@!123456789012345678> hi",
    ],
)
def test_member_text_never_pings(hostile: str) -> None:
    event = make_event(title=hostile, place=hostile, host=hostile, description=hostile)
    embed = event_embed(event)
    rendered = " ".join(
        [embed.title or "", embed.description or ""] + [f.value or "" for f in embed.fields]
    )
    for token in ("@everyone", "@here", "<@&", "<@1", "<@!"):
        assert token not in rendered
    reply = created_reply(event, None)
    for token in ("@everyone", "@here", "<@&", "<@1", "<@!"):
        assert token not in reply


def test_safe_keeps_ordinary_text() -> None:
    assert safe("Cardiff Uni Policy Café — co-pro@work") == "Cardiff Uni Policy Café — co-pro@work"


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("exactly ten", 11, "exactly ten"),
        ("the quick brown fox jumps", 15, "the quick…"),
        ("abcdefghijklmnopqrstuvwxyz", 10, "abcdefghi…"),
    ],
)
def test_clip(text: str, limit: int, expected: str) -> None:
    assert clip(text, limit) == expected
    assert len(clip(text, limit)) <= limit


def test_choice_label_uses_server_zone_and_fits() -> None:
    summer = make_event(starts_at=datetime(2027, 6, 5, 9, 0, tzinfo=UTC), title="T" * TITLE_MAX)
    label = choice_label(summer, "Europe/London")
    assert label.startswith("Sat 5 Jun 2027, 10:00 · ")
    assert len(label) <= 100
    assert choice_label(make_event(status=EventStatus.CANCELLED), "Europe/London").startswith(
        "[cancelled]"
    )


def test_embed_size_check_catches_overflow() -> None:
    embed = discord.Embed(title="x" * 257)
    assert not embed_size_ok(embed)
    big = [discord.Embed(description="x" * 4000) for _ in range(2)]
    assert not embed_size_ok(*big)


# Every character escaped (and so twice as long): the limits still hold, nothing cut away
# that a reader needs (the time and the link of each event in a list).
MARKDOWN = "*_~|`[]<\\"
ESCAPED_LONGEST = make_event(
    title=(MARKDOWN * 20)[:TITLE_MAX],
    place=("# " + MARKDOWN * 20)[:PLACE_MAX],
    host=("-# " + MARKDOWN * 20)[:HOST_MAX],
    description=("> " + MARKDOWN * 300)[:DESCRIPTION_MAX],
    status=EventStatus.CANCELLED,
    cancel_reason=(MARKDOWN * 100)[:REASON_MAX],
)


@pytest.mark.parametrize("render", [event_embed, info_embed])
def test_escaped_longest_event_stays_within_limits(render) -> None:  # type: ignore[no-untyped-def]
    embed = render(ESCAPED_LONGEST)
    assert embed_size_ok(embed)
    assert (embed.title or "").startswith("CANCELLED: \\*\\_")


def test_escaped_full_list_page_stays_within_limits_and_keeps_times_and_links() -> None:
    embed = list_embed(
        past=False,
        events=[ESCAPED_LONGEST] * 10,
        page=0,
        pages=5,
        total=50,
        region=Region.NORTH,
        kind=Kind.SEMINAR,
    )
    assert embed_size_ok(embed)
    assert len(embed.fields) == 10
    unix = int(START.timestamp())
    for field in embed.fields:
        assert (field.value or "").startswith(f"<t:{unix}:F>")
        assert (field.value or "").endswith("/1/2/3)")  # the announcement link, whole
