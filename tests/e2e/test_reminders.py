"""Reminders end to end: the channel post and DMs through the local Discord, /reminders."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot import text
from bot.domain.rsvps import GOING_EMOJI, MAYBE_EMOJI
from tests.e2e.conftest import CoproWorld
from tests.e2e.steps import announce, settled
from tests.fakediscord import Driver, FakeDiscord
from tests.fakediscord.models import Message
from tests.support.dates import at_local, stamp, typed
from tests.support.fakes import FakeClock

TITLE = "S. Wales Network Meeting 4"


@pytest.fixture
def meeting(start: datetime) -> dict[str, str]:
    return {"when": typed(start), "title": TITLE}


async def pending_ids(bot: Any) -> list[int]:
    async with bot.db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT id FROM reminders WHERE status = 'pending' AND user_id IS NULL ORDER BY due_at"
        )
    return [row["id"] for row in rows]


async def test_automatic_reminder_posts_and_dms(
    bot_app: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    clock: FakeClock,
    start: datetime,
    post: Message,
) -> None:
    await driver.react(world.rhian, post, GOING_EMOJI)
    await driver.react(world.dafydd, post, MAYBE_EMOJI)
    world.dafydd.close_dms()
    await driver.react(world.organiser, post, GOING_EMOJI)
    await settled(bot_app, discord_server)
    off = await driver.slash(world.organiser, "reminders dms", enabled=False)
    assert off.ephemeral and "off" in off.text
    assert bot_app.jobs.pending()  # the 1d and 1h reminders wait on the real scheduler
    first = (await pending_ids(bot_app))[0]
    clock.set(start - timedelta(days=1))
    mark = len(discord_server.request_log)
    await bot_app.reminder_service.deliver(first)
    made = Counter(record.route for record in discord_server.request_log[mark:])
    # each DM channel is opened by id, with no look-up of the user first (issue 5's fan-out
    # floor: open the channel, send, about 2 requests per member)
    assert made["GET /users/{user_id}"] == 0
    assert made["POST /users/@me/channels"] <= 2  # Rhian and Dafydd; none if already open
    [dm] = driver.dms(world.rhian)
    assert "Reminder" in dm.content and f"<t:{stamp(start)}:R>" in dm.content
    assert driver.dms(world.organiser) == []  # switched off
    reminder = driver.last_message(world.announcements)
    assert "starts" in reminder.content
    assert f"<@{world.dafydd.id}>" in reminder.content  # named: DMs closed
    assert reminder.mentions() == {"users": [], "roles": [], "everyone": False}
    await bot_app.reminder_service.deliver(first)  # a second run sends nothing
    assert len(driver.dms(world.rhian)) == 1


async def test_one_real_scheduler_job_fires(
    bot_app: Any, driver: Driver, world: CoproWorld, clock: FakeClock, meeting: dict[str, str]
) -> None:
    """The one test that waits in real time: a personal reminder due in a moment."""
    post = await announce(driver, world, meeting)
    assert post is not None
    reply = await driver.slash(world.rhian, "reminders add", event=TITLE, before="1d")
    assert reply.ephemeral
    [mine] = await bot_app.reminder_service.mine(world.guild.id, world.rhian.id)
    # the reminder is due 1 day before; bring "now" to just before it and re-plan its job
    clock.set(mine.reminder.due_at - timedelta(seconds=1))
    bot_app.jobs.at(
        f"reminder:{mine.reminder.id}",
        datetime.now(UTC) + timedelta(milliseconds=200),
        bot_app.reminder_service.deliver,
        mine.reminder.id,
    )
    await driver.wait_for_dm(world.rhian, lambda m: "Your reminder" in m.content, timeout=5)


async def test_reminders_commands(
    bot_app: Any, driver: Driver, world: CoproWorld, meeting: dict[str, str]
) -> None:
    await announce(driver, world, meeting)
    choices = await driver.autocomplete(world.rhian, "reminders add", "event", "wales")
    assert [c["value"] for c in choices] != []
    added = await driver.slash(world.rhian, "reminders add", event=choices[0]["value"], before="2h")
    assert added.ephemeral and "2h before" in added.text
    dup = await driver.slash(world.rhian, "reminders add", event=choices[0]["value"], before="2h")
    assert dup.ephemeral and "already have" in dup.text
    bad = await driver.slash(world.rhian, "reminders add", event=choices[0]["value"], before="soon")
    assert bad.ephemeral and "couldn't read" in bad.text
    late = await driver.slash(world.rhian, "reminders add", event=choices[0]["value"], before="30d")
    assert late.ephemeral and "before now" in late.text
    listed = await driver.slash(world.rhian, "reminders list")
    assert listed.ephemeral and "S. Wales Network Meeting 4" in listed.text
    assert "no reminders" in (await driver.slash(world.dafydd, "reminders list")).text
    mine = await driver.autocomplete(world.rhian, "reminders cancel", "reminder", "")
    assert len(mine) == 1 and mine[0]["name"].startswith("2h before")
    assert await driver.autocomplete(world.dafydd, "reminders cancel", "reminder", "") == []
    not_theirs = await driver.slash(world.dafydd, "reminders cancel", reminder=mine[0]["value"])
    assert not_theirs.ephemeral and "couldn't find" in not_theirs.text
    gone = await driver.slash(world.rhian, "reminders cancel", reminder=mine[0]["value"])
    assert gone.ephemeral and "Cancelled" in gone.text
    assert text.REMINDERS_MINE_EMPTY in (await driver.slash(world.rhian, "reminders list")).text
    on = await driver.slash(world.rhian, "reminders dms", enabled=True)
    assert on.ephemeral and on.text == text.REMINDER_DMS_ON


async def test_moving_and_cancelling_dm_those_going(
    bot_app: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    start: datetime,
    post: Message,
) -> None:
    await driver.react(world.rhian, post, GOING_EMOJI)
    await settled(bot_app, discord_server)
    await driver.slash(
        world.organiser, "events edit", event=TITLE, when=typed(at_local(start, days=7))
    )
    moved = await driver.wait_for_dm(world.rhian, lambda m: "has moved" in m.content)
    assert "<t:" in moved.content
    prompt = await driver.slash(world.organiser, "events cancel", event=TITLE, reason="Storm")
    await driver.click(world.organiser, prompt.message, text.BUTTON_CANCEL_CONFIRM)
    told = await driver.wait_for_dm(world.rhian, lambda m: "cancelled" in m.content)
    assert "Storm" in told.content
    assert await pending_ids(bot_app) == []
