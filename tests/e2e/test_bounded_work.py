"""Bounded work end to end (issue 15, part C), through the local Discord.

* Reminder times (`reminders:` on /events create and /events edit, `/setup reminders`): at most
  6, each from 5 minutes to 28 days, no time given twice; anything else is refused with the
  rule and nothing is stored. `/setup show` stays within Discord's limits whatever is stored.
* A member's own reminders: at most 5 per event and 50 upcoming, also when two adds race.
* Replies that echo what members typed stay within Discord's limits (the stand-in answers 400
  like Discord for anything over them) and read sensibly: a series' rota of long host names,
  `/reminders list` of fifty reminders, an edit, `/events info` and `/letter info` at their
  largest.
"""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot import text
from bot.domain.timeparse import format_offsets
from tests.e2e.conftest import CoproWorld
from tests.fakediscord import Driver, FakeDiscord, Reply
from tests.support.dates import at_local, typed

SIX = "7d,3d,1d,6h,1h,30m"
SEVEN = "7d,3d,1d,6h,2h,1h,30m"
# Over a thousand reminder times in one option, as near Discord's 6,000 characters as whole
# pieces go: today this planned a reminder for each.
THOUSAND = ",".join(f"{minutes}m" for minutes in range(5, 1300))[:6000].rsplit(",", 1)[0]
# Member text at its longest, full of what Discord would treat as markup or pings.
NOISY = "@here **Tŷ** <@&1> __Hafan__ `x` "


def noisy(length: int, tag: str = "") -> str:
    return (tag + NOISY * (length // len(NOISY) + 1))[:length].strip()


def bad_requests(server: FakeDiscord) -> list[tuple[str, int | None]]:
    return [(r.route, r.code) for r in server.request_log if r.status == 400]


async def rows(bot: Any, sql: str, *params: object) -> list[tuple[Any, ...]]:
    async with bot.db.reading() as conn:
        found = await conn.execute_fetchall(sql, params)
    return [tuple(row) for row in found]


async def refused(reply: Reply, key: str) -> str:
    """The reply is the private refusal `key` (whatever its filled-in parts)."""
    assert reply.ephemeral, reply.text
    template = text.ERRORS.get(key)
    assert template is not None, f"not refused as {key!r}; the bot said: {reply.text[:300]}"
    pattern = "(?s:.*?)".join(re.escape(p) for p in re.split(r"\{[^{}]*\}", template))
    assert re.fullmatch(pattern, reply.text.strip(), re.S), reply.text
    return reply.text


@pytest.fixture
async def channel_set(bot_app: Any, driver: Driver, world: CoproWorld) -> None:
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)


# --- reminder times: the rule on all three commands --------------------------------------------

REFUSED_OFFSETS = [
    (SEVEN, "offsets_too_many"),
    (THOUSAND, "offsets_too_many"),
    ("4m", "reminders_out_of_range"),
    ("29d", "reminders_out_of_range"),
    ("1d,5w", "reminders_out_of_range"),
    ("1d,24h", "offsets_repeated"),
    ("7d,7d,1h", "offsets_repeated"),
]


@pytest.mark.usefixtures("channel_set")
@pytest.mark.parametrize(("offsets", "key"), REFUSED_OFFSETS, ids=lambda v: str(v)[:20])
async def test_create_refuses_reminder_times_past_the_rule(
    bot_app: Any, driver: Driver, world: CoproWorld, start: datetime, offsets: str, key: str
) -> None:
    reply = await driver.slash(
        world.organiser,
        "events create",
        when=typed(at_local(start, days=30)),
        title="Too many reminders",
        reminders=offsets,
    )
    said = await refused(reply, key)
    assert len(said) < 400  # short, and it says the rule
    assert await rows(bot_app, "SELECT count(*) FROM events") == [(0,)]
    assert await rows(bot_app, "SELECT count(*) FROM reminders") == [(0,)]
    assert driver.messages(world.announcements) == []


@pytest.mark.usefixtures("channel_set")
async def test_create_and_edit_take_six_reminder_times_within_the_range(
    bot_app: Any, driver: Driver, world: CoproWorld, start: datetime, discord_server: FakeDiscord
) -> None:
    when = typed(at_local(start, days=30))
    made = await driver.slash(
        world.organiser, "events create", when=when, title="Six reminders", reminders=SIX
    )
    assert made.ephemeral and "Posted" in made.text
    assert await rows(bot_app, "SELECT count(*) FROM reminders WHERE status = 'pending'") == [(6,)]
    edge = await driver.slash(
        world.organiser, "events edit", event="Six reminders", reminders="28d,5m"
    )
    assert edge.ephemeral and "Updated" in edge.text
    pending = await rows(
        bot_app, "SELECT offset_s FROM reminders WHERE status = 'pending' ORDER BY offset_s"
    )
    assert pending == [(300,), (28 * 86400,)]
    for offsets, key in REFUSED_OFFSETS:
        reply = await driver.slash(
            world.organiser, "events edit", event="Six reminders", reminders=offsets
        )
        await refused(reply, key)
    # nothing the refused edits typed was kept or planned
    [(stored,)] = await rows(bot_app, "SELECT reminder_offsets FROM events")
    assert stored == "28d,5m"
    assert await rows(bot_app, "SELECT count(*) FROM reminders WHERE status = 'pending'") == [(2,)]
    assert bad_requests(discord_server) == []


@pytest.mark.usefixtures("bot_app")
async def test_setup_reminders_follows_the_rule_and_setup_show_keeps_working(
    driver: Driver, world: CoproWorld, discord_server: FakeDiscord
) -> None:
    for offsets, key in REFUSED_OFFSETS:
        await refused(await driver.slash(world.admin, "setup reminders", offsets=offsets), key)
    shown = await driver.slash(world.admin, "setup show")
    field = next(f for f in shown.embed().fields if f.name == text.SETUP_REMINDERS)
    assert field.value == "`7d,1d,1h`"  # the default stands
    saved = await driver.slash(world.admin, "setup reminders", offsets=SIX)
    assert saved.ephemeral and f"`{SIX}`" in saved.text
    shown = await driver.slash(world.admin, "setup show")
    field = next(f for f in shown.embed().fields if f.name == text.SETUP_REMINDERS)
    assert field.value == f"`{SIX}`"
    assert bad_requests(discord_server) == []


async def test_setup_show_fits_a_value_stored_before_the_rule(
    bot_app: Any, driver: Driver, world: CoproWorld, discord_server: FakeDiscord
) -> None:
    legacy = format_offsets(timedelta(minutes=m) for m in range(1, 1500))  # ~7,000 characters
    async with bot_app.db.transaction() as conn:
        await conn.execute(
            "INSERT INTO guild_settings (guild_id, reminder_offsets, updated_at) VALUES (?, ?, 0)",
            (world.guild.id, legacy),
        )
    shown = await driver.slash(world.admin, "setup show")
    assert shown.ephemeral
    field = next(f for f in shown.embed().fields if f.name == text.SETUP_REMINDERS)
    value = field.value or ""
    assert len(value) <= 1024 and value.startswith("`") and value.endswith("`")
    assert "…" in value  # cut cleanly, and it shows that it was
    assert bad_requests(discord_server) == []


# --- a member's own reminders ------------------------------------------------------------------


async def create_events(driver: Driver, world: CoproWorld, bot: Any, start: datetime, count: int):  # type: ignore[no-untyped-def]
    """`count` events with the longest, noisiest titles; their ids in order."""
    for number in range(count):
        reply = await driver.slash(
            world.organiser,
            "events create",
            when=typed(at_local(start, days=10 + number)),
            title=noisy(100, f"{number:02d} "),
        )
        assert "Posted" in reply.text, reply.text
    return [row[0] for row in await rows(bot, "SELECT id FROM events ORDER BY id")]


PERSONAL = ["30m", "1h", "2h", "3h", "1d"]


@pytest.mark.usefixtures("channel_set")
async def test_at_most_five_reminders_of_ones_own_per_event(
    bot_app: Any, driver: Driver, world: CoproWorld, start: datetime
) -> None:
    [event] = await create_events(driver, world, bot_app, start, 1)
    for before in PERSONAL:
        added = await driver.slash(world.rhian, "reminders add", event=str(event), before=before)
        assert added.ephemeral and "I'll DM you" in added.text
    sixth = await driver.slash(world.rhian, "reminders add", event=str(event), before="4h")
    said = await refused(sixth, "reminder_limit_event")
    assert "5" in said and "/reminders cancel" in said
    mine = await rows(bot_app, "SELECT count(*) FROM reminders WHERE user_id = ?", world.rhian.id)
    assert mine == [(5,)]
    # someone else's reminders are their own count
    other = await driver.slash(world.dafydd, "reminders add", event=str(event), before="4h")
    assert other.ephemeral and "I'll DM you" in other.text
    # making room lets the next one in
    [choice, *_] = await driver.autocomplete(world.rhian, "reminders cancel", "reminder", "")
    await driver.slash(world.rhian, "reminders cancel", reminder=choice["value"])
    again = await driver.slash(world.rhian, "reminders add", event=str(event), before="4h")
    assert again.ephemeral and "I'll DM you" in again.text


@pytest.mark.usefixtures("channel_set")
async def test_two_adds_at_once_cannot_pass_the_limit(
    bot_app: Any, driver: Driver, world: CoproWorld, start: datetime
) -> None:
    [event] = await create_events(driver, world, bot_app, start, 1)
    for before in PERSONAL[:4]:
        await driver.slash(world.rhian, "reminders add", event=str(event), before=before)
    replies = await asyncio.gather(
        *(
            driver.slash(world.rhian, "reminders add", event=str(event), before=before)
            for before in ("4h", "5h", "6h")
        )
    )
    added = [r for r in replies if "I'll DM you" in r.text]
    assert len(added) == 1, [r.text for r in replies]
    for reply in replies:
        if reply not in added:
            await refused(reply, "reminder_limit_event")
    mine = await rows(
        bot_app,
        "SELECT count(*) FROM reminders WHERE user_id = ? AND status = 'pending'",
        world.rhian.id,
    )
    assert mine == [(5,)]


@pytest.mark.usefixtures("channel_set")
async def test_fifty_upcoming_reminders_of_ones_own_and_the_list_of_them(
    bot_app: Any, driver: Driver, world: CoproWorld, start: datetime, discord_server: FakeDiscord
) -> None:
    events = await create_events(driver, world, bot_app, start, 11)
    for event in events[:10]:
        for before in PERSONAL:
            added = await driver.slash(
                world.rhian, "reminders add", event=str(event), before=before
            )
            assert "I'll DM you" in added.text, added.text
    over = await driver.slash(world.rhian, "reminders add", event=str(events[10]), before="1h")
    said = await refused(over, "reminder_limit_upcoming")
    assert "50" in said and "/reminders cancel" in said
    assert await rows(
        bot_app, "SELECT count(*) FROM reminders WHERE user_id = ?", world.rhian.id
    ) == [(50,)]
    # the list of all fifty, with the longest titles, fits one message and says what it left out
    listed = await driver.slash(world.rhian, "reminders list")
    assert listed.ephemeral
    description = listed.embed().description or ""
    assert len(description) <= 4096
    lines = [line for line in description.split("\n") if line.strip()]
    shown = [line for line in lines if "before, at <t:" in line]
    more = re.search(r"(\d+) more", lines[-1])
    assert more is not None and len(shown) + int(more[1]) == 50, lines[-1]
    assert len(shown) >= 20  # as many as fit, not a handful
    assert bad_requests(discord_server) == []
    # cancelling one makes room for another
    [choice, *_] = await driver.autocomplete(world.rhian, "reminders cancel", "reminder", "")
    await driver.slash(world.rhian, "reminders cancel", reminder=choice["value"])
    room = await driver.slash(world.rhian, "reminders add", event=str(events[10]), before="1h")
    assert room.ephemeral and "I'll DM you" in room.text


# --- replies that echo what members typed ------------------------------------------------------


@pytest.mark.usefixtures("bot_app")
async def test_a_rota_of_many_long_host_names_fits_the_reply(
    driver: Driver, world: CoproWorld, discord_server: FakeDiscord
) -> None:
    hosts = [noisy(100, f"Host {number:02d} ") for number in range(20)]
    name = noisy(90, "Series ")
    for _ in range(2):  # defined, then updated
        reply = await driver.slash(
            world.organiser, "events series", name=name, hosts=", ".join(hosts)
        )
        assert reply.ephemeral
        content = reply.content
        assert len(content) <= 2000
        assert "next meeting" in content and "Series" in content
        shown = sum(f"Host {number:02d}" in content for number in range(20))
        assert shown >= 5
        if shown < 20:
            more = re.search(r"and (\d+) more", content)
            assert more is not None and shown + int(more[1]) == 20, content
    assert (
        "/events create series:"
        in (
            await driver.slash(world.organiser, "events series", name="Short", hosts="Adra")
        ).content
    )
    assert bad_requests(discord_server) == []


@pytest.mark.usefixtures("channel_set")
async def test_the_largest_edit_info_and_letter_replies_fit(
    bot_app: Any, driver: Driver, world: CoproWorld, start: datetime, discord_server: FakeDiscord
) -> None:
    hosts = ", ".join(noisy(100, f"Host {number:02d} ") for number in range(20))
    await driver.slash(world.organiser, "events series", name=noisy(90, "S "), hosts=hosts)
    [(series_id,)] = await rows(bot_app, "SELECT id FROM series")
    for number in range(12):
        made = await driver.slash(
            world.organiser,
            "events create",
            when=typed(at_local(start, days=10 + number)),
            series=str(series_id),
            where=noisy(100),
            description=noisy(2000),
            capacity=100_000,
            reminders=SIX,
        )
        assert "Posted" in made.text, made.text
    [(event_id,)] = await rows(bot_app, "SELECT max(id) FROM events")
    edited = await driver.slash(
        world.organiser,
        "events edit",
        event=str(event_id),
        title=noisy(100, "Edited "),
        where=noisy(100, "Where "),
        host=noisy(100, "Host "),
        description=noisy(2000, "About "),
        duration="7d",
        reminders="28d,21d,14d,7d,1d,5m",
    )
    assert edited.ephemeral and "Updated" in edited.text and len(edited.content) <= 2000
    info = await driver.slash(world.rhian, "events info", event=str(event_id))
    assert info.ephemeral and "Meeting 12 of" in info.text
    letter = await driver.slash(
        world.organiser,
        "letter create",
        title=noisy(150, "Letter "),
        addressee=noisy(200, "To "),
        body=noisy(4000, "Dear "),
    )
    assert letter.ephemeral and "Posted" in letter.text, letter.text
    [(letter_id,)] = await rows(bot_app, "SELECT id FROM letters")
    shown = await driver.slash(world.rhian, "letter info", letter=str(letter_id))
    assert shown.ephemeral and shown.embeds
    listed = await driver.slash(world.rhian, "reminders list")
    assert listed.ephemeral
    assert bad_requests(discord_server) == []
