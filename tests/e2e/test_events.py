"""/events end to end: the real discord.py client against the local Discord."""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime, timedelta
from typing import Any

import icalendar
import pytest

from bot import text
from tests.e2e.conftest import CoproWorld
from tests.fakediscord import Driver, FakeDiscord
from tests.support.dates import (
    LONDON,
    at_local,
    clock_change,
    day_typed,
    next_weekday,
    stamp,
    typed,
)
from tests.support.fakes import FakeClock


@pytest.fixture
def meeting(start: datetime) -> dict[str, str]:
    """Meeting 4 as an organiser types it into /events create."""
    return {
        "when": typed(start),
        "title": "S. Wales Network Meeting 4",
        "where": "United Welsh Housing, Caerphilly",
        "host": "United Welsh Housing",
        "region": "South Wales",
    }


@pytest.fixture
async def ready(bot_app: Any, driver: Driver, world: CoproWorld) -> Any:
    reply = await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    assert reply.ephemeral
    return bot_app


async def create(driver: Driver, world: CoproWorld, **options: Any) -> Any:
    return await driver.slash(world.organiser, "events create", options=options)


def posts(driver: Driver, world: CoproWorld) -> list[Any]:
    return [m for m in driver.messages(world.announcements) if not m.deleted]


async def stored_events(bot: Any) -> list[Any]:
    page = await bot.event_service.list_events(bot.settings.guild_id, 0)
    return page.events


@pytest.mark.usefixtures("ready")
async def test_create_announces_and_answers_privately(
    driver: Driver, world: CoproWorld, meeting: dict[str, str], start: datetime
) -> None:
    reply = await create(driver, world, **meeting)
    assert reply.ephemeral
    assert f"<t:{stamp(start)}:F>" in reply.text
    [post] = posts(driver, world)
    assert not post.ephemeral
    assert f"/{world.announcements.id}/{post.id}" in reply.text  # the link to the post
    embed = post.embeds[0]
    assert embed["title"] == "S. Wales Network Meeting 4"
    values = " ".join(f["value"] for f in embed["fields"])
    assert f"<t:{stamp(start)}:F>" in values and f"<t:{stamp(start)}:R>" in values
    assert "United Welsh Housing, Caerphilly" in values and "South Wales" in values
    assert post.mentions() == {"users": [], "roles": [], "everyone": False}


async def test_create_pings_the_ping_role_only(
    ready: Any, driver: Driver, world: CoproWorld, meeting: dict[str, str]
) -> None:
    await driver.slash(world.admin, "setup ping-role", role=world.members)
    await create(driver, world, **meeting, description="@everyone see you there <@&1>")
    [post] = posts(driver, world)
    assert post.mentions()["roles"] == [world.members.id]
    assert post.mentions()["everyone"] is False


@pytest.mark.usefixtures("ready")
async def test_create_in_another_channel(
    driver: Driver, world: CoproWorld, meeting: dict[str, str]
) -> None:
    reply = await create(driver, world, **meeting, channel=world.general)
    assert reply.ephemeral
    assert any(m.embeds for m in driver.messages(world.general) if not m.ephemeral)
    assert posts(driver, world) == []


async def test_autumn_overlap_reply_says_which_was_taken(
    ready: Any, driver: Driver, world: CoproWorld, clock: FakeClock
) -> None:
    # The next night the clocks go back (a day ahead at least): 01:30 happens twice, first in
    # summer time, half an hour before the change.
    change = clock_change(clock() + timedelta(days=1), forward=False)
    first = change - timedelta(minutes=30)
    assert typed(first).endswith(" 01:30")
    assert typed(change + timedelta(minutes=30)) == typed(first)  # the same wall time again
    reply = await create(driver, world, when=typed(first), title="Night walk")
    assert "happens twice" in reply.text
    [event] = await stored_events(ready)
    assert event.starts_at == first


@pytest.mark.parametrize(
    ("options", "phrase"),
    [
        ({"when": "yesterday 10am", "title": "x"}, "already passed"),
        ({"when": "banana", "title": "x"}, "couldn't read"),
        ({"when": "{skipped} 01:30", "title": "x"}, "doesn't exist"),
        ({"when": "{day_month}", "title": "x"}, "no time of day"),
        ({"when": "{meeting}"}, "`title`"),
        ({"when": "{meeting}", "title": "x", "duration": "0m"}, "more than zero"),
        ({"when": "{meeting}", "title": "x", "duration": "8d"}, "at most a week"),
        ({"when": "{meeting}", "title": "x", "duration": "long"}, "length of time"),
    ],
)
async def test_create_refusals_are_private_and_store_nothing(
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    clock: FakeClock,
    start: datetime,
    options: dict[str, str],
    phrase: str,
) -> None:
    local = start.astimezone(LONDON)
    dates = {
        "skipped": day_typed(clock_change(clock(), forward=True)),  # the night of the hour lost
        "day_month": f"{local.day} {local:%b}",  # "3 Dec": Meeting 4's day, no time
        "meeting": typed(start),
    }
    options = {name: value.format(**dates) for name, value in options.items()}
    reply = await create(driver, world, **options)
    assert reply.ephemeral
    assert phrase in reply.text
    assert posts(driver, world) == []
    assert await stored_events(ready) == []


async def test_create_without_any_channel_says_how(
    bot_app: Any, driver: Driver, world: CoproWorld, meeting: dict[str, str]
) -> None:
    reply = await create(driver, world, **meeting)
    assert reply.ephemeral and "/setup channel" in reply.text
    assert await stored_events(bot_app) == []


async def test_non_organiser_refused_for_every_organiser_command(
    ready: Any, driver: Driver, world: CoproWorld, meeting: dict[str, str]
) -> None:
    await create(driver, world, **meeting)
    [event] = await stored_events(ready)
    for path, options in [
        ("events create", meeting),
        ("events edit", {"event": str(event.id), "where": "Online"}),
        ("events cancel", {"event": str(event.id)}),
    ]:
        reply = await driver.slash(world.rhian, path, options=options)
        assert reply.ephemeral
        assert "Only organisers" in reply.text
    assert [e.place for e in await stored_events(ready)] == [meeting["where"]]
    assert len(posts(driver, world)) == 1


async def test_upcoming_pages_with_buttons(
    ready: Any, driver: Driver, world: CoproWorld, clock: FakeClock
) -> None:
    for n in range(12):  # one a day at 10:00, in order, from the day after tomorrow
        when = typed(at_local(clock(), days=n + 2, at="10:00"))
        await create(driver, world, when=when, title=f"Policy Cafe {n + 1}")
    reply = await driver.slash(world.rhian, "events upcoming")
    assert reply.ephemeral
    first = reply.embed()
    assert [f.name for f in first.fields] == [f"Policy Cafe {n}" for n in range(1, 11)]
    assert "Page 1 of 2" in (first.footer.text or "")
    labels = [(b["label"], b.get("disabled", False)) for b in reply.buttons()]
    assert labels == [(text.BUTTON_PREVIOUS, True), (text.BUTTON_NEXT, False)]

    after = await driver.click(world.rhian, reply.message, text.BUTTON_NEXT)
    page_two = driver.message(after.message or reply)
    second = page_two.embeds[0]
    assert [f["name"] for f in second["fields"]] == ["Policy Cafe 11", "Policy Cafe 12"]
    back = await driver.click(world.rhian, page_two, text.BUTTON_PREVIOUS)
    assert (back.message or page_two).embeds[0]["fields"][0]["name"] == "Policy Cafe 1"


async def test_upcoming_filters_and_empty(
    ready: Any, driver: Driver, world: CoproWorld, clock: FakeClock, meeting: dict[str, str]
) -> None:
    await create(driver, world, **meeting)
    await create(
        driver,
        world,
        when=typed(at_local(clock(), days=10, at="14:00")),
        title="N. Wales Network Meeting 4",
        region="North Wales",
        kind="meeting",
    )
    seminar = typed(at_local(clock(), days=12, at="10:00"))
    await create(driver, world, when=seminar, title="Finding our voices", kind="seminar")
    north = await driver.slash(world.rhian, "events upcoming", region="North Wales")
    assert [f.name for f in north.embed().fields] == ["N. Wales Network Meeting 4"]
    seminars = await driver.slash(world.rhian, "events upcoming", kind="seminar")
    assert [f.name for f in seminars.embed().fields] == ["Finding our voices"]
    online = await driver.slash(world.rhian, "events upcoming", region="Online")
    assert "No upcoming events" in online.text and online.buttons() == []


async def test_past_shows_what_happened(
    ready: Any, driver: Driver, world: CoproWorld, clock: FakeClock, meeting: dict[str, str]
) -> None:
    now = clock()
    await create(driver, world, **meeting)
    await create(
        driver,
        world,
        when=typed(at_local(now, days=50, at="10:00")),
        title="Wales-Scotland Co-pro Network Conference",
        kind="conference",
    )
    before = await driver.slash(world.dafydd, "events past")
    assert "No past events" in before.text
    clock.set(at_local(now, days=19, at="12:00"))  # Meeting 4 is over, the conference ahead
    after = await driver.slash(world.dafydd, "events past")
    assert after.embed().title == text.PAST_TITLE
    assert [f.name for f in after.embed().fields] == ["S. Wales Network Meeting 4"]
    upcoming = await driver.slash(world.dafydd, "events upcoming")
    assert [f.name for f in upcoming.embed().fields] == ["Wales-Scotland Co-pro Network Conference"]


async def test_info_and_autocomplete(
    ready: Any, driver: Driver, world: CoproWorld, clock: FakeClock, meeting: dict[str, str]
) -> None:
    await create(driver, world, **meeting)
    # A Saturday morning some six months on.
    voices = next_weekday(clock(), 5, at="10:00", after=timedelta(days=180))
    await create(driver, world, when=typed(voices), title="Finding our voices")
    choices = await driver.autocomplete(world.rhian, "events info", "event", "voices")
    local = voices.astimezone(LONDON)
    label = f"Sat {local.day} {local:%b %Y}, 10:00 · Finding our voices"  # "Sat 5 Jun 2027, …"
    assert [c["name"] for c in choices] == [label]
    reply = await driver.slash(world.rhian, "events info", event=choices[0]["value"])
    assert reply.ephemeral
    assert reply.embed().title == "Finding our voices"
    by_title = await driver.slash(world.rhian, "events info", event="finding our voices")
    assert by_title.embed().title == "Finding our voices"
    unknown = await driver.slash(world.rhian, "events info", event="999999")
    assert unknown.ephemeral and "couldn't find" in unknown.text


async def test_edit_updates_the_post(
    ready: Any, driver: Driver, world: CoproWorld, clock: FakeClock, meeting: dict[str, str]
) -> None:
    await create(driver, world, **meeting)
    [event] = await stored_events(ready)
    moved = at_local(clock(), days=10, at="18:00")
    reply = await driver.slash(
        world.organiser, "events edit", event=str(event.id), when=typed(moved), host="-"
    )
    assert reply.ephemeral and "time" in reply.text and "host" in reply.text
    [post] = posts(driver, world)
    assert post.edits >= 1
    values = " ".join(f["value"] for f in post.embeds[0]["fields"])
    assert f"<t:{stamp(moved)}:F>" in values
    assert "Hosted by" not in [f["name"] for f in post.embeds[0]["fields"]]
    refused = await driver.slash(world.organiser, "events edit", event=str(event.id))
    assert refused.ephemeral and "changes nothing" in refused.text


async def test_edit_reposts_a_deleted_announcement(
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    meeting: dict[str, str],
) -> None:
    await create(driver, world, **meeting)
    [event] = await stored_events(ready)
    [post] = posts(driver, world)
    post.deleted = True  # an organiser deleted it by hand
    reply = await driver.slash(world.organiser, "events edit", event=str(event.id), where="Online")
    assert "posted it again" in reply.text
    [again] = posts(driver, world)
    assert again.id != post.id
    assert "Online" in " ".join(f["value"] for f in again.embeds[0]["fields"])
    assert again.mentions()["roles"] == []  # a re-post doesn't ping again


async def test_cancel_confirmed_by_button(
    ready: Any, driver: Driver, world: CoproWorld, meeting: dict[str, str]
) -> None:
    await create(driver, world, **meeting)
    [event] = await stored_events(ready)
    prompt = await driver.slash(
        world.organiser, "events cancel", event=str(event.id), reason="Venue flooded"
    )
    assert prompt.ephemeral and "Venue flooded" in prompt.text
    assert posts(driver, world)[0].embeds[0]["title"] == "S. Wales Network Meeting 4"
    other = await driver.click(world.rhian, prompt.message, text.BUTTON_CANCEL_CONFIRM)
    assert other.ephemeral and other.text == text.error_text("cancel_not_yours")
    assert [e.id for e in await stored_events(ready)] == [event.id]  # only who asked may
    done = await driver.click(world.organiser, prompt.message, text.BUTTON_CANCEL_CONFIRM)
    assert "Cancelled" in driver.message(done.message or prompt).text
    [post] = posts(driver, world)
    assert post.embeds[0]["title"] == "CANCELLED: S. Wales Network Meeting 4"
    assert "Venue flooded" in " ".join(f["value"] for f in post.embeds[0]["fields"])
    assert await stored_events(ready) == []
    again = await driver.slash(world.organiser, "events cancel", event=str(event.id))
    assert again.ephemeral and "has been cancelled" in again.text


async def test_cancel_kept(
    ready: Any, driver: Driver, world: CoproWorld, meeting: dict[str, str]
) -> None:
    await create(driver, world, **meeting)
    [event] = await stored_events(ready)
    prompt = await driver.slash(world.organiser, "events cancel", event=str(event.id))
    kept = await driver.click(world.organiser, prompt.message, text.BUTTON_CANCEL_KEEP)
    assert "nothing was changed" in driver.message(kept.message or prompt).text
    assert [e.id for e in await stored_events(ready)] == [event.id]
    assert posts(driver, world)[0].embeds[0]["title"] == "S. Wales Network Meeting 4"


async def test_hostile_member_text_never_pings(
    ready: Any, driver: Driver, world: CoproWorld, start: datetime
) -> None:
    hostile = f"@everyone @here <@&{world.members.id}> <@{world.rhian.id}>"
    await create(driver, world, when=typed(start), title=hostile, where=hostile, host=hostile)
    [post] = posts(driver, world)
    assert post.mentions() == {"users": [], "roles": [], "everyone": False}
    reply = await driver.slash(world.rhian, "events upcoming")
    assert reply.message is not None
    assert reply.message.mentions() == {"users": [], "roles": [], "everyone": False}


async def test_commands_are_refused_in_direct_messages_gracefully(
    ready: Any, driver: Driver, world: CoproWorld, clock: FakeClock, meeting: dict[str, str]
) -> None:
    # An event that is over cannot be edited: the refusal is private and clear.
    await create(driver, world, **meeting)
    [event] = await stored_events(ready)
    clock.advance(timedelta(days=10))
    reply = await driver.slash(world.organiser, "events edit", event=str(event.id), where="Online")
    assert reply.ephemeral and "already finished" in reply.text


@pytest.mark.usefixtures("ready")
async def test_calendar_command_and_post_button(
    driver: Driver, world: CoproWorld, clock: FakeClock, meeting: dict[str, str]
) -> None:
    empty = await driver.slash(world.rhian, "events calendar")
    assert empty.ephemeral and empty.files == {}
    await create(driver, world, **meeting, reminders="1d,1h")
    cafe = typed(at_local(clock(), days=10, at="10:00"))  # a week after Meeting 4
    await create(driver, world, when=cafe, title="Policy Cafe")
    everything = await driver.slash(world.rhian, "events calendar")
    assert everything.ephemeral
    [(name, data)] = everything.files.items()
    assert name == "copro-events.ics"
    summaries = [str(v["summary"]) for v in icalendar.Calendar.from_ical(data).walk("VEVENT")]
    assert summaries == ["S. Wales Network Meeting 4", "Policy Cafe"]

    post = next(
        m for m in posts(driver, world) if m.embeds[0]["title"] == "S. Wales Network Meeting 4"
    )
    pressed = await driver.click(world.dafydd, post, "Add to calendar")
    assert pressed.ephemeral
    [(name, data)] = pressed.files.items()
    [vevent] = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert str(vevent["summary"]) == "S. Wales Network Meeting 4"
    assert len(list(vevent.walk("VALARM"))) == 2
    one = await driver.slash(world.rhian, "events calendar", event="Policy Cafe")
    [(one_name, one_data)] = one.files.items()
    assert one_name.startswith("event-") and one_name.endswith(".ics")
    [only] = icalendar.Calendar.from_ical(one_data).walk("VEVENT")
    assert str(only["summary"]) == "Policy Cafe"


async def test_an_event_saved_but_never_announced_is_removed_at_the_next_start(
    start_bot: Any,
    driver: Driver,
    world: CoproWorld,
    bot_env: dict[str, str],
    caplog: pytest.LogCaptureFixture,
    meeting: dict[str, str],
) -> None:
    async with start_bot():
        await driver.slash(world.admin, "setup channel", announcements=world.announcements)
        created = await create(driver, world, **meeting)
        assert "Posted" in created.text
    # What a stop between saving an event and posting it leaves: a row marked unposted,
    # with its reminders planned (the organiser was never told it worked).
    with sqlite3.connect(bot_env["DATABASE_PATH"]) as conn:
        conn.execute(
            "INSERT INTO events (guild_id, title, starts_at, ends_at, channel_id, created_by, "
            "created_at, updated_at, posted) SELECT guild_id, 'Half-made meeting', starts_at, "
            "ends_at, channel_id, created_by, created_at, updated_at, 0 FROM events"
        )
        conn.execute(
            "INSERT INTO reminders (event_id, user_id, offset_s, due_at, created_at) "
            "SELECT max(id), NULL, 60, starts_at - 60, created_at FROM events"
        )
        kept = {
            f"reminder:{i}"
            for (i,) in conn.execute(
                "SELECT id FROM reminders WHERE "
                "event_id = (SELECT min(id) FROM events) AND status = 'pending'"
            )
        }
        assert kept
    before = len(driver.messages(world.announcements))
    caplog.set_level(logging.WARNING)
    async with start_bot() as bot:
        upcoming = await driver.slash(world.rhian, "events upcoming")
        assert "S. Wales Network Meeting 4" in upcoming.text
        assert "Half-made meeting" not in upcoming.text
        assert {j for j in bot.jobs.pending() if j.startswith("reminder:")} == kept
    assert len(driver.messages(world.announcements)) == before  # not posted late either
    with sqlite3.connect(bot_env["DATABASE_PATH"]) as conn:
        assert conn.execute("SELECT title, posted FROM events").fetchall() == [
            ("S. Wales Network Meeting 4", 1)
        ]
        orphans = conn.execute(
            "SELECT count(*) FROM reminders WHERE event_id NOT IN (SELECT id FROM events)"
        ).fetchone()
        assert orphans == (0,)
    assert any("'Half-made meeting'" in r.getMessage() for r in caplog.records)
