"""Every command, button and form is rate limited per member (issue 15), with the bot's real
figures: at least 10 in any 10 s for a member and 30 for an organiser are served; beyond
that a short private "slow down, try again in N s" and nothing done; autocomplete never.

The limiter's monotonic clock is the test's own (`Ticks`), frozen unless moved: a flood sent
"at once" is at one instant, and waiting out a refusal is moving the clock, not sleeping.

* a member floods 100 commands that each change what is stored while another member's
  commands go on at the same time: exactly 10 of the flood are served, the other 90 are
  refused at once (a plain private message, no defer) and change nothing; every one of the
  other member's is served; after the wait the refusal named, the member is served again;
* an organiser (by Manage Events, or by the organiser role) floods 100 commands that each
  add a row: exactly 30 rows;
* buttons (a persistent view's, a dynamic item's) and form submissions count towards the
  same limit and are refused the same way (no file, no form, no signature), while
  autocomplete is still answered.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Any

import pytest

from bot import text
from bot.domain.ratelimit import RateLimits
from tests.e2e.conftest import CoproWorld
from tests.fakediscord import Driver, FakeDiscord, Reply
from tests.support.dates import at_local, typed

LIMITS = RateLimits()
SLOW_DOWN = re.compile(re.escape(text.ERRORS["slow_down"]).replace(r"\{seconds\}", r"(\d+)"))


class Ticks:
    """A monotonic clock moved by hand."""

    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def slowed(reply: Reply) -> int | None:
    """The seconds a "slow down" refusal names (None for any other answer). A refusal is a
    plain private message: never a defer left "thinking", a form or a file."""
    if reply.message is None:
        return None
    found = SLOW_DOWN.fullmatch(reply.text)
    if found is None:
        return None
    assert reply.type == 4 and reply.ephemeral, f"refused with type {reply.type}"
    assert not reply.interaction.deferred_pending and reply.files == {}
    return int(found.group(1))


@pytest.fixture
def ticks() -> Ticks:
    return Ticks()


@pytest.fixture
async def bot(
    start_bot: Any, ticks: Ticks, driver: Driver, world: CoproWorld
) -> AsyncIterator[Any]:
    async with start_bot(rate_limits=LIMITS, rate_now=ticks) as running:
        await driver.slash(world.admin, "setup channel", announcements=world.announcements)
        yield running


async def rows(bot: Any, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    async with bot.db.reading() as conn:
        return [tuple(r) for r in await conn.execute_fetchall(sql, params)]


async def test_a_member_flood_is_served_to_the_limit_while_others_are_served_throughout(
    bot: Any, driver: Driver, world: CoproWorld, discord_server: FakeDiscord, ticks: Ticks
) -> None:
    flood = [
        driver.slash(world.rhian, "network join", organisation=f"Flood {i}") for i in range(100)
    ]
    others = [
        driver.slash(world.dafydd, "network join", organisation=f"Steady {i}") for i in range(10)
    ]
    # All in flight at once, the other member's among the flood's.
    calls = flood[:50] + others[:5] + flood[50:] + others[5:]
    replies = await asyncio.gather(*calls)
    flood_replies = replies[:50] + replies[55:105]
    other_replies = replies[50:55] + replies[105:]

    served = [r for r in flood_replies if slowed(r) is None]
    refused = [slowed(r) for r in flood_replies if slowed(r) is not None]
    assert len(served) == LIMITS.member and len(refused) == 100 - LIMITS.member
    assert set(refused) == {10}  # all at one instant: the whole window to wait
    assert all(slowed(r) is None and r.ephemeral for r in other_replies)
    joined_as = {r.text for r in served}
    assert all("Flood" in said for said in joined_as)

    # The refused ninety changed nothing: the stored organisation is one a served one gave.
    [(organisation,)] = await rows(
        bot, "SELECT organisation FROM network_members WHERE user_id = ?", world.rhian.id
    )
    served_names = {n for n in (f"Flood {i}" for i in range(100)) if any(n in s for s in joined_as)}
    assert len(served_names) == LIMITS.member and organisation in served_names
    assert len(await rows(bot, "SELECT * FROM network_members")) == 2

    # Waiting less than the named wait is not enough; waiting it out is.
    ticks.advance(9)
    early = await driver.slash(world.rhian, "network stats")
    assert slowed(early) == 1
    ticks.advance(1)
    again = await driver.slash(world.rhian, "network join", organisation="After the wait")
    assert slowed(again) is None
    [(organisation,)] = await rows(
        bot, "SELECT organisation FROM network_members WHERE user_id = ?", world.rhian.id
    )
    assert organisation == "After the wait"

    # Members whose uses have left the window are forgotten.
    ticks.advance(LIMITS.window_s + 1)
    await driver.slash(world.dafydd, "network stats")
    assert len(bot.rate_gate.limiter) == 1


@pytest.mark.parametrize("organiser_by", ["Manage Events", "the organiser role"])
async def test_an_organiser_flood_adds_exactly_thirty_rows(
    organiser_by: str,
    bot: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    ticks: Ticks,
) -> None:
    if organiser_by == "Manage Events":
        organiser = world.organiser
    else:
        convenors = discord_server.add_role(world.guild, "Convenors")
        organiser = discord_server.add_member(world.guild, "Nia Convenor", roles=[convenors])
        await driver.slash(world.admin, "setup organiser-role", role=convenors)
    flood = [
        driver.slash(organiser, "events series", name=f"Flood series {i}", hosts="Adra")
        for i in range(100)
    ]
    others = [driver.slash(world.rhian, "events upcoming") for _ in range(10)]
    replies = await asyncio.gather(*flood[:40], *others, *flood[40:])
    flood_replies = replies[:40] + replies[50:]
    refused = [slowed(r) for r in flood_replies if slowed(r) is not None]
    assert len(refused) == 100 - LIMITS.organiser and set(refused) == {10}
    assert all(slowed(r) is None for r in replies[40:50])
    assert all("Flood series" in r.text for r in flood_replies if slowed(r) is None)
    assert len(await rows(bot, "SELECT * FROM series")) == LIMITS.organiser


async def test_buttons_and_forms_count_and_autocomplete_never_does(
    bot: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    ticks: Ticks,
    clock: Callable[[], datetime],
) -> None:
    when = typed(at_local(clock(), days=6))
    await driver.slash(world.organiser, "events create", when=when, title="Flood meeting")
    await driver.slash(
        world.organiser, "letter create", title="Flood letter", addressee="Senedd", body="Text"
    )
    event_post = await driver.wait_for_message(
        world.announcements, lambda m: "Flood meeting" in m.text
    )
    letter_post = await driver.wait_for_message(
        world.announcements, lambda m: "Flood letter" in m.text
    )
    [(letter_id,)] = await rows(bot, "SELECT id FROM letters")

    form = await driver.slash(world.rhian, "letter sign", letter=str(letter_id))  # 1
    assert form.type == 9
    for _ in range(LIMITS.member - 1):  # 2..10: the calendar button, a persistent view
        pressed = await driver.click(world.rhian, event_post, text.BUTTON_CALENDAR)
        assert slowed(pressed) is None and len(pressed.files) == 1

    # The eleventh use, whatever it is, is refused and does nothing.
    calendar = await driver.click(world.rhian, event_post, text.BUTTON_CALENDAR)
    assert slowed(calendar) == 10
    sign = await driver.click(world.rhian, letter_post, text.BUTTON_SIGN)  # a dynamic item
    assert slowed(sign) == 10 and sign.modal is None
    submitted = await driver.submit_modal(world.rhian, {"name": "Rhian Evans"})  # the form
    assert slowed(submitted) == 10
    command = await driver.slash(world.rhian, "letter list")
    assert slowed(command) == 10
    for typed_so_far in ("", "Flood", "Fl"):  # autocomplete: never limited
        choices = await driver.autocomplete(world.rhian, "letter sign", "letter", typed_so_far)
        assert [c["value"] for c in choices] == [str(letter_id)]
    assert await rows(bot, "SELECT * FROM signatures") == []
    assert bot.rate_gate.refused == 4

    ticks.advance(LIMITS.window_s)
    reopened = await driver.click(world.rhian, letter_post, text.BUTTON_SIGN)
    assert reopened.type == 9
    done = await driver.submit_modal(world.rhian, {"name": "Rhian Evans"})
    assert slowed(done) is None and "You signed" in done.text
    assert len(await rows(bot, "SELECT * FROM signatures")) == 1


async def test_a_letter_text_form_over_the_limit_creates_nothing(
    bot: Any, driver: Driver, world: CoproWorld, discord_server: FakeDiscord, ticks: Ticks
) -> None:
    form = await driver.slash(world.organiser, "letter create", title="Form letter", addressee="S")
    assert form.type == 9  # 1
    for _ in range(LIMITS.organiser - 1):  # 2..30
        assert slowed(await driver.slash(world.organiser, "letter list")) is None
    submitted = await driver.submit_modal(world.organiser, {"body": "The text of the letter."})
    assert slowed(submitted) == 10
    assert await rows(bot, "SELECT * FROM letters") == []
    assert driver.messages(world.announcements) == []
    ticks.advance(LIMITS.window_s)
    again = await driver.slash(world.organiser, "letter create", title="Form letter", addressee="S")
    done = await driver.submit_modal(world.organiser, {"body": "The text of the letter."})
    assert again.type == 9 and slowed(done) is None
    assert len(await rows(bot, "SELECT * FROM letters")) == 1
