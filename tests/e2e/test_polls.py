"""/poll end to end: the real discord.py client against the local Discord."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import discord
import pytest

from bot import text
from tests.e2e.conftest import CoproWorld
from tests.fakediscord import Driver, DriverError
from tests.fakediscord.models import Message, Overwrite
from tests.support.dates import LONDON, at_local, stamp, typed
from tests.support.fakes import FakeClock

StartBot = Callable[..., contextlib.AbstractAsyncContextManager[Any]]
TITLE = "S. Wales Network Meeting"


@pytest.fixture
async def ready(bot_app: Any, driver: Driver, world: CoproWorld) -> Any:
    reply = await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    assert reply.ephemeral
    return bot_app


@pytest.fixture
def times(clock: FakeClock) -> list[datetime]:
    """Three meeting times to choose from: 18:30 in Cardiff 8, 15 and 22 days on."""
    return [at_local(clock(), days=days) for days in (8, 15, 22)]


def options(*moments: datetime) -> str:
    return "; ".join(typed(m) for m in moments)


async def create(driver: Driver, world: CoproWorld, moments: list[datetime], **extra: Any) -> Any:
    return await driver.slash(
        world.organiser,
        "poll create",
        options={"title": TITLE, "options": options(*moments), **extra},
    )


def polls(driver: Driver, world: CoproWorld) -> list[Message]:
    return [
        m
        for m in driver.messages(world.announcements)
        if not m.deleted and any(b["custom_id"].startswith("poll:opt:") for b in m.buttons())
    ]


def events(driver: Driver, world: CoproWorld) -> list[Message]:
    """The event announcements in #announcements (their post carries the calendar button)."""
    return [
        m
        for m in driver.messages(world.announcements)
        if not m.deleted and any(b.get("custom_id") == "ev:ics" for b in m.buttons())
    ]


def poll_id(post: Message) -> str:
    return post.buttons()[0]["custom_id"].split(":")[2]


def button(post: Message, position: int) -> str:
    return f"poll:opt:{poll_id(post)}:{position}"


def line(post: Message, moment: datetime) -> str:
    """The post's line for the option at `moment`."""
    found = [
        row
        for row in post.embeds[0]["description"].splitlines()
        if f".** <t:{stamp(moment)}:F>" in row
    ]
    assert len(found) == 1, post.embeds[0]["description"]
    return found[0]


async def wait_line(driver: Driver, post: Message, moment: datetime, ending: str) -> None:
    await driver.wait_for(
        lambda: line(post, moment).endswith(ending),
        message=f"the post never showed {ending!r} for {moment}: {post.embeds[0]['description']}",
    )


async def close(driver: Driver, world: CoproWorld, post: Message) -> Message:
    prompt = await driver.slash(world.organiser, "poll close", poll=poll_id(post))
    assert prompt.ephemeral and "Close **" in prompt.text
    done = await driver.click(world.organiser, prompt.message, text.BUTTON_POLL_CLOSE_CONFIRM)
    closed = done.message or prompt.message
    assert closed is not None
    return closed


# --- create ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("ready")
async def test_create_posts_each_option_as_a_timestamp_with_a_button(
    driver: Driver, world: CoproWorld, times: list[datetime]
) -> None:
    reply = await create(driver, world, times)
    assert reply.ephemeral and f"Posted the date poll **{TITLE}** with 3 times" in reply.text
    [post] = polls(driver, world)
    assert f"/{world.announcements.id}/{post.id}" in reply.text
    assert post.embeds[0]["title"] == TITLE
    for moment in times:
        assert line(post, moment).endswith("· 0")
    labels = [b["label"] for b in post.buttons()]
    assert labels == [
        f"{n}. {m.astimezone(LONDON):%a %d %b %H:%M}" for n, m in enumerate(times, start=1)
    ]
    assert [b["custom_id"] for b in post.buttons()] == [button(post, n) for n in (1, 2, 3)]
    assert post.mentions() == {"users": [], "roles": [], "everyone": False}


@pytest.mark.usefixtures("ready")
@pytest.mark.parametrize(
    ("typed_options", "phrases"),
    [
        (lambda t: typed(t[0]), ["at least 2 times", "you gave 1"]),
        (
            lambda t: "; ".join(typed(t[0] + timedelta(days=d)) for d in range(11)),
            ["at most 10 times", "you gave 11"],
        ),
        (lambda t: f"{typed(t[0])}; yesterday 5pm", ["Option 2", "already passed"]),
        (lambda t: f"when pigs fly; {typed(t[0])}", ["Option 1", "couldn't read “when pigs fly”"]),
        (
            lambda t: f"{typed(t[0])}; {typed(t[1])}; {typed(t[0])}",
            ["Option 3", "same time as option 1"],
        ),
    ],
    ids=["one", "eleven", "past", "unreadable", "duplicate"],
)
async def test_bad_options_get_a_private_message_and_nothing_is_stored(
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    times: list[datetime],
    typed_options: Callable[[list[datetime]], str],
    phrases: list[str],
) -> None:
    reply = await driver.slash(
        world.organiser, "poll create", options={"title": TITLE, "options": typed_options(times)}
    )
    assert reply.ephemeral
    for phrase in phrases:
        assert phrase in reply.text, reply.text
    assert polls(driver, world) == []
    async with ready.db.reading() as conn:
        rows = await conn.execute_fetchall("SELECT count(*) FROM polls")
    assert next(iter(rows))[0] == 0


@pytest.mark.usefixtures("ready")
async def test_members_cannot_create_or_close_polls(
    driver: Driver, world: CoproWorld, times: list[datetime]
) -> None:
    refused = await driver.slash(
        world.rhian, "poll create", options={"title": TITLE, "options": options(*times)}
    )
    assert refused.ephemeral and "Only organisers" in refused.text
    assert polls(driver, world) == []
    await create(driver, world, times)
    [post] = polls(driver, world)
    no = await driver.slash(world.rhian, "poll close", poll=poll_id(post))
    assert no.ephemeral and "Only organisers" in no.text


# --- answering -------------------------------------------------------------------------------


@pytest.mark.usefixtures("ready")
async def test_pressing_an_option_toggles_the_answer_and_the_post_counts_follow(
    driver: Driver, world: CoproWorld, times: list[datetime]
) -> None:
    await create(driver, world, times)
    [post] = polls(driver, world)
    first = await driver.click(world.rhian, post, button(post, 1))
    assert first.ephemeral and f"Noted: you can make <t:{stamp(times[0])}:F>" in first.text
    second = await driver.click(world.rhian, post, button(post, 3))
    assert f"<t:{stamp(times[0])}:F>, <t:{stamp(times[2])}:F>" in second.text
    await driver.click(world.dafydd, post, button(post, 1))
    await wait_line(driver, post, times[0], "· 2")
    await wait_line(driver, post, times[2], "· 1")
    assert "2 members" in post.embeds[0]["fields"][0]["value"]
    back = await driver.click(world.rhian, post, button(post, 1))
    assert f"Taken back: <t:{stamp(times[0])}:F>" in back.text
    assert f"Your times for **{TITLE}**: <t:{stamp(times[2])}:F>." in back.text
    none = await driver.click(world.rhian, post, button(post, 3))
    assert "You haven't picked any time" in none.text
    await wait_line(driver, post, times[0], "· 1")
    await wait_line(driver, post, times[2], "· 0")
    assert "1 member" in post.embeds[0]["fields"][0]["value"]


# --- closing and announcing ------------------------------------------------------------------


@pytest.mark.usefixtures("ready")
async def test_close_marks_the_winner_a_tie_going_to_the_earliest(
    driver: Driver, world: CoproWorld, times: list[datetime]
) -> None:
    later_first = [times[2], times[0], times[1]]  # option 2 is the earliest
    await create(driver, world, later_first)
    [post] = polls(driver, world)
    await driver.click(world.rhian, post, button(post, 1))
    await driver.click(world.dafydd, post, button(post, 2))
    closed = await close(driver, world, post)
    assert f"Closed **{TITLE}**: the most can make <t:{stamp(times[0])}:F> (1 of 2)" in closed.text
    assert [b["label"] for b in closed.buttons()] == [text.BUTTON_POLL_ANNOUNCE]
    await driver.wait_for(lambda: post.embeds[0]["title"] == f"CLOSED: {TITLE}")
    assert line(post, times[0]).startswith("🏆")
    assert all(b.get("disabled") for b in post.buttons())
    for who in (world.rhian, world.dafydd):
        dm = await driver.wait_for_dm(who, lambda m: TITLE in m.content)
        assert f"<t:{stamp(times[0])}:F>" in dm.content
    assert not [m for m in driver.dms(world.organiser) if TITLE in m.content]  # not a voter
    with pytest.raises(DriverError):  # disabled on the post...
        await driver.click(world.rhian, post, button(post, 3))
    stale = driver.server.start_interaction(  # ...but an old client may still send a press
        kind=3,
        user=world.rhian,
        channel=world.announcements,
        data={"custom_id": button(post, 3), "component_type": 2},
        message=post,
    )
    answer = await driver._answer(stale, None)
    assert answer.ephemeral and "has closed, so it takes no more answers" in answer.text


@pytest.mark.usefixtures("ready")
async def test_announce_posts_the_event_once_even_when_pressed_twice(
    ready: Any, driver: Driver, world: CoproWorld, times: list[datetime]
) -> None:
    await driver.slash(
        world.organiser, "events series", name=TITLE, hosts="Grŵp Cynefin, Adra", next_number=4
    )
    await create(driver, world, times, series=TITLE)
    [post] = polls(driver, world)
    await driver.click(world.rhian, post, button(post, 2))
    closed = await close(driver, world, post)
    both = await asyncio.gather(
        driver.click(world.organiser, closed, text.BUTTON_POLL_ANNOUNCE),
        driver.click(world.organiser, closed, text.BUTTON_POLL_ANNOUNCE),
    )
    replies = sorted(r.text for r in both)
    assert any(f"Announced **{TITLE} 4**" in r for r in replies), replies
    assert any("was already announced" in r for r in replies), replies
    [event] = await driver.wait_for(lambda: events(driver, world) or None)
    assert event.embeds[0]["title"] == f"{TITLE} 4"
    assert any(f"<t:{stamp(times[1])}:F>" in f["value"] for f in event.embeds[0]["fields"])
    assert any(f["value"] == "Adra" for f in event.embeds[0]["fields"])  # the rota's 4th: Adra
    again = await driver.click(world.organiser, closed, text.BUTTON_POLL_ANNOUNCE)
    assert "was already announced" in again.text and str(event.id) in again.text
    assert len(events(driver, world)) == 1
    series = await ready.series_service.resolve(world.guild.id, TITLE)
    assert series.next_number == 5
    shown = await driver.slash(world.organiser, "poll close", poll=poll_id(post))
    assert "had already closed" in shown.text and "It has been announced" in shown.text
    assert shown.buttons() == []


@pytest.mark.usefixtures("ready")
async def test_a_members_announce_press_is_refused(
    driver: Driver, world: CoproWorld, times: list[datetime]
) -> None:
    await create(driver, world, times)
    [post] = polls(driver, world)
    await driver.click(world.rhian, post, button(post, 1))
    closed = await close(driver, world, post)
    refused = await driver.click(world.rhian, closed, text.BUTTON_POLL_ANNOUNCE)
    assert "Only organisers" in refused.text
    assert events(driver, world) == []


# --- closing by time, restarts ---------------------------------------------------------------


async def test_a_poll_closes_by_its_job_and_tells_its_organiser(
    ready: Any, driver: Driver, world: CoproWorld, clock: FakeClock, times: list[datetime]
) -> None:
    closing = at_local(clock(), days=3, at="17:00")
    await create(driver, world, times, closes=typed(closing))
    [post] = polls(driver, world)
    pid = int(poll_id(post))
    assert f"poll-close:{pid}" in ready.jobs.pending()
    await driver.click(world.dafydd, post, button(post, 3))
    clock.set(closing + timedelta(seconds=1))
    assert await ready.poll_service.close_due(pid)  # what the job runs
    assert not await ready.poll_service.close_due(pid)  # once
    await driver.wait_for(lambda: post.embeds[0]["title"] == f"CLOSED: {TITLE}")
    dm = await driver.wait_for_dm(world.organiser, lambda m: "Your date poll" in m.content)
    assert f"<t:{stamp(times[2])}:F>" in dm.content and "/poll close" in dm.content
    shown = await driver.slash(world.organiser, "poll close", poll=str(pid))
    assert "had already closed" in shown.text
    done = await driver.click(world.organiser, shown.message, text.BUTTON_POLL_ANNOUNCE)
    assert f"Announced **{TITLE}**" in done.text


async def test_poll_buttons_work_across_a_restart_and_a_missed_closing_closes_at_start(
    start_bot: StartBot,
    driver: Driver,
    world: CoproWorld,
    clock: FakeClock,
    times: list[datetime],
) -> None:
    closing = at_local(clock(), days=3, at="17:00")
    async with start_bot():
        await driver.slash(world.admin, "setup channel", announcements=world.announcements)
        await create(driver, world, times, closes=typed(closing))
        [post] = polls(driver, world)
        await driver.click(world.rhian, post, button(post, 1))
    async with start_bot() as bot:
        assert f"poll-close:{poll_id(post)}" in bot.jobs.pending()  # planned again from rows
        pressed = await driver.click(world.dafydd, post, button(post, 1))
        assert "Noted" in pressed.text
        await wait_line(driver, post, times[0], "· 2")
    clock.set(closing + timedelta(hours=2))  # the bot was down when it was due
    async with start_bot():
        await driver.wait_for(lambda: post.embeds[0]["title"] == f"CLOSED: {TITLE}")
        assert line(post, times[0]).startswith("🏆")


# --- list and privacy ------------------------------------------------------------------------


@pytest.mark.usefixtures("ready")
async def test_list_shows_open_polls(
    driver: Driver, world: CoproWorld, times: list[datetime]
) -> None:
    empty = await driver.slash(world.rhian, "poll list")
    assert text.POLLS_EMPTY in empty.text
    await create(driver, world, times)
    [post] = polls(driver, world)
    await driver.click(world.rhian, post, button(post, 1))
    listing = await driver.slash(world.rhian, "poll list")
    [field] = listing.embed().fields
    assert field.name == TITLE and "3 times · 1 member" in (field.value or "")
    await close(driver, world, post)
    assert text.POLLS_EMPTY in (await driver.slash(world.rhian, "poll list")).text


@pytest.mark.usefixtures("ready")
async def test_answers_are_in_mydata_and_forget_erases_them(
    driver: Driver, world: CoproWorld, times: list[datetime]
) -> None:
    await create(driver, world, times)
    [post] = polls(driver, world)
    await driver.click(world.rhian, post, button(post, 2))
    await wait_line(driver, post, times[1], "· 1")
    mine = await driver.slash(world.rhian, "privacy mydata")
    [data] = mine.files.values()
    assert b'"poll_answers"' in data and TITLE.encode() in data
    prompt = await driver.slash(world.rhian, "privacy forget")
    done = await driver.click(world.rhian, prompt.message, text.PRIVACY_FORGET_BUTTON)
    answered = done.message or prompt.message
    assert answered is not None and answered.text == text.PRIVACY_FORGOTTEN.format(
        parts="1 date poll answer"
    )
    await wait_line(driver, post, times[1], "· 0")


# --- channel: as /events create ----------------------------------------------------------------


@pytest.mark.usefixtures("ready")
async def test_a_channel_the_organiser_cannot_post_in_is_refused_and_their_own_is_used(
    ready: Any, driver: Driver, world: CoproWorld, times: list[datetime]
) -> None:
    server = driver.server
    bot_needs = discord.Permissions(
        view_channel=True, send_messages=True, embed_links=True, add_reactions=True
    ).value
    hidden = server.add_channel(
        world.guild,
        "steering-group",
        overwrites=[
            Overwrite(world.organisers.id, 0, deny=discord.Permissions(view_channel=True).value),
            Overwrite(server.bot_user.id, 1, allow=bot_needs),
        ],
    )
    given = {"title": TITLE, "options": options(*times)}
    refused = await driver.slash(
        world.organiser, "poll create", options={**given, "channel": hidden}
    )
    assert refused.ephemeral
    assert refused.text == text.error_text("channel_not_yours", channel=f"<#{hidden.id}>")
    assert driver.messages(hidden) == [] and polls(driver, world) == []
    done = await driver.slash(
        world.organiser, "poll create", options={**given, "channel": world.general}
    )
    assert f"/{world.general.id}/" in done.text
    [post] = [m for m in driver.messages(world.general) if m.buttons()]
    assert post.embeds[0]["title"] == TITLE
