"""Attendance and meeting notes end to end (#18): the "I was there" button coming and going
by the clock, /events attendance with its paged sheet, the counts everywhere they show,
/events notes and the calendar, and members' data rights over attendance."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot import text
from bot.domain.rsvps import GOING_EMOJI, MAYBE_EMOJI
from tests.e2e.conftest import CoproWorld
from tests.e2e.steps import settled
from tests.fakediscord import Driver, DriverError, FakeDiscord, Reply
from tests.fakediscord.models import Message
from tests.support.dates import at_local, stamp, typed
from tests.support.fakes import FakeClock

StartBot = Callable[..., contextlib.AbstractAsyncContextManager[Any]]
TITLE = "S. Wales Network Meeting 5"


@pytest.fixture
def start(clock: FakeClock) -> datetime:
    """18:30 in Cardiff two days on (a two-hour meeting)."""
    return at_local(clock(), days=2)


@pytest.fixture
async def ready(bot_app: Any, driver: Driver, world: CoproWorld) -> Any:
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    return bot_app


async def announce(driver: Driver, world: CoproWorld, start: datetime, **extra: Any) -> Message:
    reply = await driver.slash(
        world.organiser, "events create", options={"when": typed(start), "title": TITLE, **extra}
    )
    assert reply.ephemeral and "Posted" in reply.text, reply.text
    return [m for m in driver.messages(world.announcements) if m.embeds and not m.deleted][-1]


async def event_id(bot: Any, world: CoproWorld, post: Message) -> int:
    return int((await bot.event_service.by_post(world.guild.id, post.id)).id)


def here(post: Message) -> list[dict[str, Any]]:
    """The post's "I was there" buttons (none or one)."""
    return [b for b in post.buttons() if str(b.get("custom_id", "")).startswith("ev:here:")]


def fields(reply: Reply | Message) -> dict[str, str]:
    embeds = reply.embeds
    return {str(f["name"]): str(f["value"]) for e in embeds for f in e.get("fields", [])}


async def due(bot: Any, eid: int) -> None:
    """What each of the event's attendance jobs runs, then the paced edit it asks for."""
    await bot.attendance_service.post_due(eid)
    await bot.post_updater.drain(10)


async def rows(bot: Any, sql: str, *args: object) -> list[tuple[Any, ...]]:
    async with bot.db.reading() as conn:
        found = await conn.execute_fetchall(sql, args)
    return [tuple(row) for row in found]


def select_of(message: Message) -> dict[str, Any]:
    [menu] = [
        c
        for row in message.components
        for c in row.get("components", [])
        if c.get("type") == 3 and str(c.get("custom_id", "")).startswith("ev:atts:")
    ]
    return menu


# --- the button on the post -------------------------------------------------------------------


async def test_the_button_comes_30_minutes_before_and_goes_7_days_after(
    ready: Any, driver: Driver, world: CoproWorld, clock: FakeClock, start: datetime
) -> None:
    post = await announce(driver, world, start)
    eid = await event_id(ready, world, post)
    assert here(post) == []
    assert {f"attendance-{k}:{eid}" for k in ("open", "over", "close")} <= set(ready.jobs.pending())
    clock.set(start - timedelta(minutes=31))
    await due(ready, eid)
    assert here(post) == []  # a job run early changes nothing
    clock.set(start - timedelta(minutes=30))
    await due(ready, eid)
    [button] = here(post)
    assert button["label"] == text.BUTTON_ATTENDED and button["custom_id"] == f"ev:here:{eid}"
    assert text.ATTENDED_FIELD not in fields(post)  # not over yet: no count

    pressed = await driver.click(world.rhian, post, button["custom_id"])
    assert pressed.ephemeral and pressed.text == text.ATTENDANCE_MARKED.format(title=TITLE)
    await driver.click(world.dafydd, post, button["custom_id"])
    again = await driver.click(world.dafydd, post, button["custom_id"])
    assert again.ephemeral and again.text == text.ATTENDANCE_UNMARKED.format(title=TITLE)
    assert await rows(ready, "SELECT user_id, by_organiser FROM attendance") == [
        (world.rhian.id, 0)
    ]

    clock.set(start + timedelta(hours=2))  # the end: the count shows
    await due(ready, eid)
    assert fields(post)[text.ATTENDED_FIELD] == "1 attended"
    info = await driver.slash(world.dafydd, "events info", event=str(eid))
    assert fields(info)[text.ATTENDED_FIELD] == "1 attended"

    clock.set(start + timedelta(hours=2, days=7))  # the window closed; the button is still up
    late = await driver.click(world.dafydd, post, button["custom_id"])
    assert late.ephemeral and "closed" in late.text and "7 days after" in late.text
    assert len(await rows(ready, "SELECT * FROM attendance")) == 1  # nothing stored
    await due(ready, eid)
    assert here(post) == []
    assert fields(post)[text.ATTENDED_FIELD] == "1 attended"


async def test_the_button_works_across_a_restart_and_jobs_are_planned_again(
    start_bot: StartBot,
    driver: Driver,
    world: CoproWorld,
    clock: FakeClock,
    start: datetime,
) -> None:
    async with start_bot() as bot:
        await driver.slash(world.admin, "setup channel", announcements=world.announcements)
        post = await announce(driver, world, start)
        eid = await event_id(bot, world, post)
        clock.set(start - timedelta(minutes=10))
        await due(bot, eid)
        assert here(post)
    async with start_bot() as bot:
        assert f"attendance-over:{eid}" in bot.jobs.pending()  # planned again from the rows
        assert f"attendance-close:{eid}" in bot.jobs.pending()
        assert f"attendance-open:{eid}" not in bot.jobs.pending()  # passed
        pressed = await driver.click(world.rhian, post, f"ev:here:{eid}")
        assert pressed.text == text.ATTENDANCE_MARKED.format(title=TITLE)


async def test_cancelling_drops_the_jobs_and_an_edit_moves_them(
    ready: Any, driver: Driver, world: CoproWorld, start: datetime
) -> None:
    post = await announce(driver, world, start)
    eid = await event_id(ready, world, post)
    later = start + timedelta(days=1)
    await driver.slash(world.organiser, "events edit", event=str(eid), when=typed(later))
    assert ready.jobs.next_run(f"attendance-open:{eid}") == later - timedelta(minutes=30)
    prompt = await driver.slash(world.organiser, "events cancel", event=str(eid))
    await driver.click(world.organiser, prompt.message, text.BUTTON_CANCEL_CONFIRM)
    assert not any(j.startswith("attendance-") for j in ready.jobs.pending())


async def test_pressing_before_the_window_says_when_it_opens(
    ready: Any, driver: Driver, world: CoproWorld, start: datetime
) -> None:
    post = await announce(driver, world, start)
    eid = await event_id(ready, world, post)
    early = await driver.slash(world.organiser, "events attendance", event=str(eid), others=4)
    assert early.ephemeral and "opens" in early.text and "30 minutes before" in early.text
    assert f"<t:{stamp(start - timedelta(minutes=30))}:F>" in early.text
    assert await rows(ready, "SELECT attended_others FROM events") == [(0,)]  # nothing stored


# --- /events attendance ----------------------------------------------------------------------


async def test_the_organiser_ticks_who_came_over_pages_with_others(
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    clock: FakeClock,
    start: datetime,
) -> None:
    post = await announce(driver, world, start)
    eid = await event_id(ready, world, post)
    crowd = [
        discord_server.add_member(world.guild, f"Member {n:02d}", roles=[world.members])
        for n in range(28)
    ]
    for member in crowd:
        await driver.react(member, post, GOING_EMOJI)
    await driver.react(world.rhian, post, MAYBE_EMOJI)
    await settled(ready, discord_server)
    clock.set(start + timedelta(minutes=45))
    await due(ready, eid)
    await driver.click(world.dafydd, post, f"ev:here:{eid}")  # not answered, but came

    refused = await driver.slash(world.rhian, "events attendance", event=str(eid))
    assert refused.ephemeral and "Only organisers" in refused.text
    negative = await driver.slash(world.organiser, "events attendance", event=str(eid), others=-2)
    assert negative.ephemeral and "whole number from 0" in negative.text and "-2" in negative.text

    sheet = await driver.slash(world.organiser, "events attendance", event=str(eid), others=3)
    assert sheet.ephemeral and f"Tick who came to **{TITLE}**" in sheet.text
    assert "Page 1 of 2" in sheet.text, sheet.text
    first = sheet.message
    assert first is not None
    menu = select_of(first)
    assert len(menu["options"]) == 25 and menu["min_values"] == 0
    assert menu["options"][0]["label"] == "Member 00 · going"
    came = [o["value"] for o in menu["options"][:10]]
    ticked = await driver.select(world.organiser, first, menu["custom_id"], came)
    assert text.ATTENDANCE_SAVED in ticked.text
    assert [o["value"] for o in select_of(first)["options"] if o.get("default")] == came

    turned = await driver.click(world.organiser, first, f"ev:attp:{eid}:1")
    assert "Page 2 of 2" in first.content
    second = select_of(first)
    labels = [o["label"] for o in second["options"]]
    assert labels[-2:] == ["Rhian Evans · maybe", "Dafydd Jones · pressed “I was there”"]
    assert len(labels) == 5 and turned is not None
    dafydd = str(world.dafydd.id)
    assert [o["value"] for o in second["options"] if o.get("default")] == [dafydd]
    # Rhian came; Dafydd's own tick was wrong: the organiser corrects it
    await driver.select(world.organiser, first, second["custom_id"], [str(world.rhian.id)])
    there = {u for (u,) in await rows(ready, "SELECT user_id FROM attendance")}
    assert there == {int(v) for v in came} | {world.rhian.id}
    assert await rows(ready, "SELECT attended_members, attended_others FROM events") == [(11, 3)]

    clock.set(start + timedelta(hours=2, minutes=1))
    await due(ready, eid)
    assert fields(post)[text.ATTENDED_FIELD] == "14 attended"
    csv = await driver.slash(world.organiser, "events attendees", event=str(eid))
    lines = csv.files[f"attendees-event-{eid}.csv"].decode("utf-8-sig").splitlines()
    assert lines[0] == "status,place,user_id,member,answered_at_utc,attended"
    rhian = next(line for line in lines if str(world.rhian.id) in line)
    assert rhian.endswith(",yes")
    absent = next(line for line in lines if str(crowd[20].id) in line)
    assert absent.endswith(",")


# --- series history and the network's figures ------------------------------------------------


async def test_series_history_and_network_stats_show_attendance(
    ready: Any, driver: Driver, world: CoproWorld, clock: FakeClock, start: datetime
) -> None:
    made = await driver.slash(
        world.organiser, "events series", name="S. Wales Network Meeting", hosts="Tai Calon"
    )
    assert made.ephemeral
    first = await driver.slash(
        world.organiser, "events create", when=typed(start), series="S. Wales Network Meeting"
    )
    assert "Posted" in first.text, first.text
    [post] = [m for m in driver.messages(world.announcements) if m.embeds]
    eid = await event_id(ready, world, post)
    clock.set(start + timedelta(hours=1))
    await due(ready, eid)
    await driver.click(world.rhian, post, f"ev:here:{eid}")
    await driver.slash(world.organiser, "events attendance", event=str(eid), others=2)
    clock.set(start + timedelta(days=1))
    later = at_local(clock(), days=20)
    second = await driver.slash(
        world.organiser, "events create", when=typed(later), series="S. Wales Network Meeting"
    )
    assert "Posted" in second.text, second.text
    [(next_id,)] = await rows(ready, "SELECT id FROM events WHERE id != ?", eid)
    info = await driver.slash(world.dafydd, "events info", event=str(next_id))
    history = fields(info)[text.SERIES_FIELD]
    assert f"<t:{stamp(start)}:D>" in history and "3 attended" in history, history
    assert "Tai Calon" in history
    stats = await driver.slash(world.dafydd, "network stats")
    assert fields(stats)[text.NETWORK_MEETINGS_FIELD] == (
        "1 meeting held · 3 attended · from 0 organisations on the network list"
    )
    # Rhian joins the network list: her attendance now counts her organisation, once
    # however it is typed.
    await driver.slash(world.rhian, "network join", organisation="Tai Calon")
    await driver.slash(world.dafydd, "network join", organisation="tai  calon.")
    await driver.click(world.dafydd, post, f"ev:here:{eid}")  # within the 7 days after
    stats = await driver.slash(world.dafydd, "network stats")
    assert fields(stats)[text.NETWORK_MEETINGS_FIELD] == (
        "1 meeting held · 4 attended · from 1 organisation on the network list"
    )


# --- notes -----------------------------------------------------------------------------------


async def test_notes_form_shows_in_info_past_and_the_calendar(
    ready: Any, driver: Driver, world: CoproWorld, clock: FakeClock, start: datetime
) -> None:
    post = await announce(driver, world, start)
    eid = await event_id(ready, world, post)
    before = await driver.slash(world.rhian, "events calendar", event=str(eid))
    [ics_before] = before.files.values()
    assert b"SEQUENCE:0" in ics_before

    bad = await driver.slash(world.organiser, "events notes", event=str(eid), link="ftp://x.org")
    assert bad.ephemeral and bad.modal is None and "isn't a web address" in bad.text
    member = await driver.slash(world.rhian, "events notes", event=str(eid))
    assert member.ephemeral and "Only organisers" in member.text

    opened = await driver.slash(
        world.organiser, "events notes", event=str(eid), link="https://copro.wales/minutes/5"
    )
    assert opened.modal is not None
    assert opened.modal["title"] == text.NOTES_FORM_TITLE
    saved = await driver.submit_modal(
        world.organiser,
        {"notes_en": "We agreed the rota for 2027.", "notes_cy": "Cytunwyd ar y rota."},
    )
    assert saved.ephemeral and saved.text == text.NOTES_SAVED.format(title=TITLE)

    info = await driver.slash(world.rhian, "events info", event=str(eid))
    notes = fields(info)[text.NOTES_FIELD]
    assert "We agreed the rota for 2027." in notes and "https://copro.wales/minutes/5" in notes
    after = await driver.slash(world.rhian, "events calendar", event=str(eid))
    [ics] = after.files.values()
    assert b"SEQUENCE:1" in ics
    unfolded = ics.decode().replace("\r\n ", "")
    assert "Notes: We agreed the rota for 2027." in unfolded
    assert "Notes: https://copro.wales/minutes/5" in unfolded

    clock.set(start + timedelta(days=1))
    past = await driver.slash(world.rhian, "events past")
    assert "We agreed the rota for 2027." in past.text, past.text

    again = await driver.slash(world.organiser, "events notes", event=str(eid))
    assert opened.modal is not None and again.modal is not None
    prefilled = {
        c["custom_id"]: c.get("value")
        for row in again.modal["components"]
        for c in ([row["component"]] if "component" in row else row.get("components", []))
    }
    assert prefilled["notes_en"] == "We agreed the rota for 2027."
    assert prefilled["link"] == "https://copro.wales/minutes/5"
    removed = await driver.submit_modal(world.organiser, {"notes_en": "", "notes_cy": ""})
    assert removed.text == text.NOTES_REMOVED.format(title=TITLE)
    assert await rows(ready, "SELECT notes_en, notes_cy, notes_link, sequence FROM events") == [
        (None, None, None, 2)
    ]


# --- members' data rights --------------------------------------------------------------------


async def test_mydata_forget_and_retention_cover_attendance(
    ready: Any, driver: Driver, world: CoproWorld, clock: FakeClock, start: datetime
) -> None:
    post = await announce(driver, world, start)
    eid = await event_id(ready, world, post)
    clock.set(start)
    await due(ready, eid)
    await driver.click(world.rhian, post, f"ev:here:{eid}")
    await driver.click(world.dafydd, post, f"ev:here:{eid}")
    mine = await driver.slash(world.rhian, "privacy mydata")
    held = json.loads(mine.files["my-data.json"])["data"]["attendance"]
    assert [(a["event_id"], a["event_title"]) for a in held] == [(eid, TITLE)]

    prompt = await driver.slash(world.rhian, "privacy forget")
    done = await driver.click(world.rhian, prompt.message, text.PRIVACY_FORGET_BUTTON)
    assert "1 record of attending an event" in done.text, done.text
    assert await rows(ready, "SELECT user_id FROM attendance") == [(world.dafydd.id,)]
    assert await rows(ready, "SELECT attended_members FROM events") == [(1,)]

    clock.set(start + timedelta(days=731 + 2))  # over 24 months after it ended
    erased = await ready.retention_service.erase_expired()
    assert erased.attendance == 1
    assert await rows(ready, "SELECT * FROM attendance") == []
    assert await rows(ready, "SELECT attended_members FROM events") == [(1,)]  # the count stays
    info = await driver.slash(world.dafydd, "events info", event=str(eid))
    assert fields(info)[text.ATTENDED_FIELD] == "1 attended"
    data = json.loads((await driver.slash(world.dafydd, "privacy mydata")).files["my-data.json"])
    assert data["data"]["attendance"] == []
    await due(ready, eid)
    assert here(post) == []  # the window closed long ago: the button went
    with pytest.raises(DriverError):
        await driver.click(world.dafydd, post, f"ev:here:{eid}")


async def test_a_bilingual_server_s_button_speaks_welsh_first(
    ready: Any, driver: Driver, world: CoproWorld, clock: FakeClock, start: datetime
) -> None:
    saved = await driver.slash(world.admin, "setup language", mode="bilingual")
    assert saved.ephemeral, saved.text
    post = await announce(driver, world, start)
    eid = await event_id(ready, world, post)
    clock.set(start - timedelta(minutes=5))
    await due(ready, eid)
    [button] = here(post)
    assert button["label"] == "Roeddwn i yno · I was there"
