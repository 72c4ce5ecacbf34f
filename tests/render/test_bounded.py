"""Replies that echo member text, at their largest: within Discord's limits, and saying what
they left out (issue 15, part C)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot import text
from bot.domain.guilds import GuildSettings
from bot.domain.reminders import Reminder, ReminderStatus
from bot.domain.series import HOSTS_MAX, NAME_MAX, Series
from bot.render.common import CONTENT_MAX, EMBED_DESCRIPTION_MAX, embed_size_ok
from bot.render.events import rota_label, series_saved
from bot.render.guilds import offsets_label, settings_embed
from bot.render.reminders import mine_embed

START = datetime(2026, 12, 3, 18, 30, tzinfo=UTC)
# Escaped mentions grow: each `@here` takes a zero-width space more.
NOISY = ("@here **Tŷ** " * 20)[:100]


def series(hosts: tuple[str, ...], name: str = "S. Wales Network Meeting") -> Series:
    return Series(1, 1, name, hosts, None, 4)


@pytest.mark.parametrize("created", [True, False])
@pytest.mark.parametrize("count", [0, 1, 4, HOSTS_MAX])
def test_series_reply_fits_and_counts_the_hosts_left_out(created: bool, count: int) -> None:
    hosts = tuple(f"{n:02d} {NOISY}"[:100] for n in range(count))
    reply = series_saved(series(hosts, ("@here " * 20)[:NAME_MAX]), created)
    assert len(reply) <= CONTENT_MAX
    assert reply.endswith("to announce it." if created else ".")  # the sentence is whole
    shown = sum(f"{n:02d} @" in reply for n in range(count))
    if count == 0:
        assert text.SERIES_NO_ROTA in reply
    elif shown < count:
        assert f"and {count - shown} more" in reply
    assert shown >= min(count, 10)


@pytest.mark.parametrize(
    ("hosts", "room", "expected"),
    [
        (("Adra", "Grŵp Cynefin"), 100, "Adra, Grŵp Cynefin"),
        (("Adra", "Grŵp Cynefin", "Tai Tarian"), 24, "Adra and 2 more"),
        (("Adra", "Grŵp Cynefin", "Tai Tarian"), 29, "Adra, Grŵp Cynefin and 1 more"),
        (("Adra", "Grŵp Cynefin", "Tai Tarian"), 30, "Adra, Grŵp Cynefin, Tai Tarian"),
        ((), 10, text.SERIES_NO_ROTA),
    ],
)
def test_rota_label(hosts: tuple[str, ...], room: int, expected: str) -> None:
    assert rota_label(hosts, room) == expected


def test_setup_show_fits_any_stored_reminder_times() -> None:
    legacy = tuple(timedelta(minutes=m) for m in range(1, 1500))
    settings = GuildSettings(guild_id=1, reminder_offsets=legacy)
    label = offsets_label(settings)
    assert len(label) <= 1024 and label.startswith("`") and label.endswith(",…`")
    assert embed_size_ok(settings_embed(settings))
    assert offsets_label(GuildSettings(guild_id=1)) == "`7d,1d,1h`"


def reminder(number: int) -> Reminder:
    return Reminder(number, number, 5, timedelta(hours=1), START, ReminderStatus.PENDING)


@pytest.mark.parametrize("count", [1, 10, 25, 50])
def test_my_reminders_fit_and_say_how_many_more(count: int) -> None:
    mine = [(f"{n:02d} {NOISY}", reminder(n)) for n in range(count)]
    embed = mine_embed(mine)
    description = embed.description or ""
    assert embed_size_ok(embed) and len(description) <= EMBED_DESCRIPTION_MAX
    lines = description.split("\n")
    shown = sum(" before, at <t:" in line for line in lines)
    if shown < count:
        assert lines[-1] == text.REMINDERS_MINE_MORE.format(count=count - shown)
    else:
        assert shown == count
    assert shown >= min(count, 20)
