"""Nothing kept without a reason, end to end: /setup retention, and the erasure of who
answered or signed once an event has been over, or a letter closed, for longer."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot import text
from bot.domain.retention import RETENTION_MAX
from bot.domain.rsvps import GOING_EMOJI, MAYBE_EMOJI
from bot.services.retention import JOB_ID
from tests.e2e.conftest import CoproWorld
from tests.e2e.steps import settled
from tests.fakediscord import Driver, DriverError, FakeDiscord, Reply
from tests.support.dates import at_local, typed
from tests.support.fakes import FakeClock

OLD = "S. Wales Network Meeting 4"
RECENT = "S. Wales Network Meeting 5"
LETTER = {
    "title": "Open Letter to the First Minister",
    "addressee": "The First Minister of Wales",
    "body": "We ask that co-production is placed at the heart of Welsh public services.",
}


def shown(reply: Reply) -> dict[str, str]:
    embed = reply.embed()
    return {str(f.name): str(f.value) for f in embed.fields}


async def rows(bot: Any, sql: str, *args: object) -> list[tuple[Any, ...]]:
    async with bot.db.reading() as conn:
        found = await conn.execute_fetchall(sql, args)
    return [tuple(row) for row in found]


async def held(driver: Driver, who: Any) -> dict[str, list[dict[str, Any]]]:
    reply = await driver.slash(who, "privacy mydata")
    data: dict[str, list[dict[str, Any]]] = json.loads(reply.files["my-data.json"])["data"]
    return data


# --- /setup retention ----------------------------------------------------------------------


@pytest.mark.usefixtures("bot_app")
async def test_retention_is_set_and_shown(driver: Driver, world: CoproWorld) -> None:
    before = shown(await driver.slash(world.admin, "setup show"))
    assert before[text.SETUP_RETENTION] == text.SETUP_RETENTION_VALUE.format(months=24)
    saved = await driver.slash(world.admin, "setup retention", months=6)
    assert saved.ephemeral
    assert saved.text == text.SETUP_SAVED_RETENTION.format(months=6)
    after = shown(await driver.slash(world.admin, "setup show"))
    assert after[text.SETUP_RETENTION] == text.SETUP_RETENTION_VALUE.format(months=6)


@pytest.mark.parametrize("months", [0, -1, RETENTION_MAX + 1, 10**9])
async def test_retention_out_of_range_is_refused_with_the_rule(
    bot_app: Any, driver: Driver, world: CoproWorld, months: int
) -> None:
    refused = await driver.slash(world.admin, "setup retention", months=months)
    assert refused.ephemeral
    assert refused.text == text.ERRORS["retention_out_of_range"].format(
        months=months, limit=RETENTION_MAX
    )
    settings = await bot_app.guild_service.settings(world.guild.id)
    assert settings.retention_months == 24


@pytest.mark.usefixtures("bot_app")
async def test_retention_takes_only_whole_numbers_and_only_from_managers(
    driver: Driver, world: CoproWorld
) -> None:
    for typed_in in ("two years", 1.5):  # Discord's own box takes whole numbers only
        with pytest.raises(DriverError):
            await driver.slash(world.admin, "setup retention", months=typed_in)
    refused = await driver.slash(world.organiser, "setup retention", months=1)
    assert refused.ephemeral and refused.text == text.ERRORS["not_admin"]


# --- the erasure -----------------------------------------------------------------------------


async def test_old_answers_and_signatures_are_erased_and_counts_stay(
    bot_app: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    clock: FakeClock,
    start: datetime,
) -> None:
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    await driver.slash(world.organiser, "events create", when=typed(start), title=OLD)
    recent_start = at_local(clock(), days=65)
    await driver.slash(world.organiser, "events create", when=typed(recent_start), title=RECENT)
    old_post, recent_post = [m for m in driver.messages(world.announcements) if m.embeds]
    await driver.react(world.rhian, old_post, GOING_EMOJI)
    await driver.react(world.dafydd, old_post, MAYBE_EMOJI)
    await driver.react(world.rhian, recent_post, GOING_EMOJI)
    await settled(bot_app, discord_server)
    added = await driver.slash(world.rhian, "reminders add", event=OLD, before="1d")
    assert added.ephemeral
    made = await driver.slash(world.organiser, "letter create", options=LETTER)
    assert "Posted" in made.text, made.text
    [(letter_id,)] = await rows(bot_app, "SELECT id FROM letters")
    for who, name in ((world.rhian, "Rhian Evans"), (world.dafydd, "Dafydd Jones")):
        signed = await driver.slash(
            who, "letter sign", letter=str(letter_id), name=name, organisation="Co-pro Cymru"
        )
        assert "You signed" in signed.text, signed.text
    prompt = await driver.slash(world.organiser, "letter close", letter=str(letter_id))
    await driver.click(world.organiser, prompt.message, text.BUTTON_CLOSE_CONFIRM)
    [(old_id,), (recent_id,)] = await rows(bot_app, "SELECT id FROM events ORDER BY starts_at")
    old_info = shown(await driver.slash(world.rhian, "events info", event=str(old_id)))
    letter_info = await driver.slash(world.rhian, "letter info", letter=str(letter_id))

    # A day short of 24 months after the old meeting ended: nothing goes yet.
    clock.set(start + timedelta(days=730 - 2))
    assert (await bot_app.retention_service.erase_expired()).rsvps == 0
    assert len(await rows(bot_app, "SELECT * FROM rsvps")) == 3

    # Over 24 months after it ended, and after the letter closed.
    clock.set(start + timedelta(days=731 + 2))
    await bot_app.retention_service.erase_expired()
    assert await rows(bot_app, "SELECT event_id, user_id FROM rsvps") == [
        (recent_id, world.rhian.id)
    ]
    assert await rows(bot_app, "SELECT * FROM reminders WHERE user_id IS NOT NULL") == []
    assert await rows(bot_app, "SELECT * FROM reminder_deliveries") == []
    assert await rows(bot_app, "SELECT * FROM signatures") == []
    # the counts stay: the past event and the closed letter show the same numbers
    again = shown(await driver.slash(world.rhian, "events info", event=str(old_id)))
    assert again[text.RSVP_FIELD] == old_info[text.RSVP_FIELD]
    assert "1 going" in again[text.RSVP_FIELD] and "1 maybe" in again[text.RSVP_FIELD]
    listed = shown(await driver.slash(world.organiser, "events attendees", event=str(old_id)))
    assert listed[text.ATTENDEES_GOING.format(count=1)] == text.ATTENDEES_ERASED.format(count=1)
    letter_again = await driver.slash(world.rhian, "letter info", letter=str(letter_id))
    assert "2 signatures" in letter_info.text, letter_info.text
    assert "2 signatures" in letter_again.text, letter_again.text
    data = await held(driver, world.dafydd)
    assert data["rsvps"] == [] and data["signatures"] == []
    assert [r["event_id"] for r in (await held(driver, world.rhian))["rsvps"]] == [recent_id]
    assert (await bot_app.retention_service.erase_expired()).rsvps == 0  # twice is harmless
    # a letter whose signatures went can't be reopened: a former signer would count twice
    later = typed(clock() + timedelta(days=30))
    reopen = await driver.slash(world.organiser, "letter edit", letter=str(letter_id), closes=later)
    assert reopen.ephemeral and reopen.text == text.error_text(
        "letter_erased_reopen", title=LETTER["title"]
    ), reopen.text
    # nothing changed: still closed, no closing time set
    assert await rows(bot_app, "SELECT closes_at, closed_at IS NOT NULL FROM letters") == [
        (None, 1)
    ]


async def test_erasure_follows_the_servers_setting_and_runs_daily(
    bot_app: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    clock: FakeClock,
    start: datetime,
) -> None:
    assert JOB_ID in bot_app.jobs.pending()
    assert bot_app.jobs.next_run(JOB_ID) is not None
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    await driver.slash(world.organiser, "events create", when=typed(start), title=OLD)
    [post] = [m for m in driver.messages(world.announcements) if m.embeds]
    await driver.react(world.rhian, post, GOING_EMOJI)
    await settled(bot_app, discord_server)
    await driver.slash(world.admin, "setup retention", months=1)
    clock.set(start + timedelta(days=20))
    assert (await bot_app.retention_service.erase_expired()).rsvps == 0
    clock.set(start + timedelta(days=33))
    assert (await bot_app.retention_service.erase_expired()).rsvps == 1
    assert await rows(bot_app, "SELECT * FROM rsvps") == []
    [(event_id,)] = await rows(bot_app, "SELECT id FROM events")
    info = shown(await driver.slash(world.rhian, "events info", event=str(event_id)))
    assert "1 going" in info[text.RSVP_FIELD]
