"""/letter end to end: the real discord.py client against the local Discord."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot import text
from tests.e2e.conftest import CoproWorld
from tests.fakediscord import Driver, DriverError, FakeDiscord
from tests.fakediscord.models import Message
from tests.support.dates import LONDON, at_local, local_date, stamp, typed
from tests.support.fakes import FakeClock

BODY = (
    "We, the undersigned practitioners, ask that the principles of co-production are placed "
    "at the heart of Welsh public services."
)
LETTER = {
    "title": "Open Letter to the First Minister",
    "addressee": "The First Minister of Wales",
    "body": BODY,
}

StartBot = Callable[..., contextlib.AbstractAsyncContextManager[Any]]


@pytest.fixture
def closes(clock: FakeClock) -> datetime:
    """When the letter closes: 17:00 a month on, long after the test."""
    return at_local(clock(), days=33, at="17:00")


@pytest.fixture
def open_letter(closes: datetime) -> dict[str, str]:
    """/letter create's options, the closing time as the organiser types it."""
    return {**LETTER, "closes": typed(closes)}


def once_on_the_wall(moment: datetime) -> bool:
    """Whether `moment`'s wall time in Cardiff happens only once (not in the hour the clocks
    go back, when a typed time is read as the first of the two)."""
    wall = moment.astimezone(LONDON).replace(tzinfo=None)
    first, second = (wall.replace(tzinfo=LONDON, fold=fold) for fold in (0, 1))
    return first.utcoffset() == second.utcoffset()


def soon(clock: FakeClock, hours: int = 2) -> datetime:
    """A whole minute about `hours` from now that a member can type unambiguously."""
    moment = (clock() + timedelta(hours=hours)).replace(second=0)
    while not once_on_the_wall(moment):
        moment += timedelta(hours=1)
    return moment


@pytest.fixture
async def ready(bot_app: Any, driver: Driver, world: CoproWorld) -> Any:
    reply = await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    assert reply.ephemeral
    return bot_app


async def create(driver: Driver, world: CoproWorld, letter: dict[str, str], **options: Any) -> Any:
    given = {k: v for k, v in {**letter, **options}.items() if v is not None}
    return await driver.slash(world.organiser, "letter create", options=given)


def posts(driver: Driver, world: CoproWorld) -> list[Message]:
    """The letters' posts in #announcements (not celebrations)."""
    return [
        m
        for m in driver.messages(world.announcements)
        if not m.deleted and any(b["custom_id"].startswith("letter:sign:") for b in m.buttons())
    ]


def celebrations(driver: Driver, world: CoproWorld) -> list[Message]:
    return [m for m in driver.messages(world.announcements) if m.content.startswith("🎉")]


def celebration_worker(bot: Any) -> Any:
    """The bot's paced worker for milestone celebrations."""
    return bot.celebrations


async def settle(bot: Any) -> None:
    """Wait until the post's edits and the celebrations are all out."""
    await bot.post_updater.drain()
    await celebration_worker(bot).drain()
    await bot.post_updater.drain()


def field(post: Message, name: str) -> str:
    return next(f["value"] for f in post.embeds[0]["fields"] if f["name"] == name)


def sign_button(post: Message) -> dict[str, Any]:
    [button] = post.buttons()
    return button


async def wait_count(driver: Driver, post: Message, line: str) -> None:
    await driver.wait_for(
        lambda: line in field(post, text.LETTER_SIGNATURES),
        message=f"the post never showed {line!r}: {field(post, text.LETTER_SIGNATURES)!r}",
    )


async def letter_id(driver: Driver, world: CoproWorld) -> str:
    [post] = posts(driver, world)
    return sign_button(post)["custom_id"].rsplit(":", 1)[1]


async def sign(driver: Driver, who: Any, letter: str, **options: Any) -> Any:
    return await driver.slash(who, "letter sign", options={"letter": letter, **options})


# --- create --------------------------------------------------------------------------------


@pytest.mark.usefixtures("ready")
async def test_create_posts_the_letter_with_a_sign_button(
    driver: Driver, world: CoproWorld, open_letter: dict[str, str], closes: datetime
) -> None:
    reply = await create(driver, world, open_letter)
    assert reply.ephemeral and "Posted **Open Letter to the First Minister**" in reply.text
    assert f"<t:{stamp(closes)}:F>" in reply.text
    [post] = posts(driver, world)
    assert f"/{world.announcements.id}/{post.id}" in reply.text
    embed = post.embeds[0]
    assert embed["title"] == "Open Letter to the First Minister"
    assert embed["description"] == BODY
    assert field(post, text.LETTER_TO) == "The First Minister of Wales"
    assert "0 signatures from 0 organisations" in field(post, text.LETTER_SIGNATURES)
    assert f"<t:{stamp(closes)}:F>" in field(post, text.LETTER_CLOSES)
    button = sign_button(post)
    assert button["label"] == text.BUTTON_SIGN and not button.get("disabled")
    assert post.mentions() == {"users": [], "roles": [], "everyone": False}


@pytest.mark.usefixtures("ready")
async def test_create_without_body_asks_for_the_text_in_a_form(
    driver: Driver, world: CoproWorld
) -> None:
    opened = await driver.slash(
        world.organiser,
        "letter create",
        title=LETTER["title"],
        addressee=LETTER["addressee"],
        milestone=10,
        in_channel=world.general,
    )
    assert opened.type == 9 and opened.modal is not None
    assert opened.modal["title"] == text.LETTER_BODY_MODAL_TITLE
    assert posts(driver, world) == []
    body = "Dear First Minister,\n\n" + BODY + "\n\nYours,\nThe Co-production Network"
    done = await driver.submit_modal(world.organiser, {"body": body})
    assert done.ephemeral and "Posted" in done.text
    [post] = posts(driver, world)
    assert post.embeds[0]["description"] == body
    assert text.LETTER_OPEN_UNTIL_CLOSED in field(post, text.LETTER_CLOSES)


@pytest.mark.usefixtures("ready")
@pytest.mark.parametrize(
    ("options", "phrase"),
    [
        ({"closes": "yesterday 5pm"}, "already passed"),
        ({"closes": "when pigs fly"}, "couldn't read"),
        ({"closes": "yesterday 5pm", "body": None}, "already passed"),  # before the form
    ],
)
async def test_create_refusals_are_private_and_post_nothing(
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    options: dict[str, Any],
    phrase: str,
    open_letter: dict[str, str],
) -> None:
    given = {k: v for k, v in {**open_letter, **options}.items() if v is not None}
    reply = await driver.slash(world.organiser, "letter create", options=given)
    assert reply.ephemeral and phrase in reply.text
    assert reply.modal is None
    assert posts(driver, world) == []
    assert (await ready.letter_service.list_letters(world.guild.id))[1] == 0


async def test_create_without_any_channel_says_how(
    bot_app: Any, driver: Driver, world: CoproWorld, open_letter: dict[str, str]
) -> None:
    for options in (open_letter, {"title": "x", "addressee": "y"}):  # with and without a body
        reply = await driver.slash(world.organiser, "letter create", options=options)
        assert reply.ephemeral and "/setup channel" in reply.text and reply.modal is None


@pytest.mark.usefixtures("ready")
async def test_non_organiser_refused_for_organiser_commands(
    driver: Driver, world: CoproWorld, open_letter: dict[str, str]
) -> None:
    await create(driver, world, open_letter)
    letter = await letter_id(driver, world)
    [post] = posts(driver, world)
    for path, options in [
        ("letter create", open_letter),
        ("letter create", {"title": "x", "addressee": "y"}),  # refused before the form
        ("letter edit", {"letter": letter, "title": "Hijacked"}),
        ("letter export", {"letter": letter}),
        ("letter close", {"letter": letter}),
    ]:
        reply = await driver.slash(world.rhian, path, options=options)
        assert reply.ephemeral and "Only organisers" in reply.text, path
        assert reply.modal is None and reply.files == {}
    assert len(posts(driver, world)) == 1
    assert post.embeds[0]["title"] == LETTER["title"] and post.edits == 0


# --- signing -------------------------------------------------------------------------------


@pytest.mark.usefixtures("ready")
async def test_sign_button_opens_a_form_and_the_count_follows(
    driver: Driver, world: CoproWorld, open_letter: dict[str, str]
) -> None:
    await create(driver, world, open_letter)
    [post] = posts(driver, world)
    opened = await driver.click(world.rhian, post, text.BUTTON_SIGN)
    assert opened.type == 9 and opened.modal is not None
    inputs = {
        c["custom_id"]: c.get("value")
        for row in opened.modal["components"]
        for c in row.get("components", [row.get("component", {})])
    }
    assert inputs["name"] == "Rhian Evans" and not inputs["organisation"]
    done = await driver.submit_modal(world.rhian, {"organisation": "Swansea County Council"})
    assert done.ephemeral
    assert "You signed **Open Letter to the First Minister** as Rhian Evans" in done.text
    await wait_count(driver, post, "1 signature from 1 organisation")

    again = await driver.click(world.rhian, post, text.BUTTON_SIGN)
    prefilled = {
        c["custom_id"]: c.get("value")
        for row in (again.modal or {})["components"]
        for c in row.get("components", [row.get("component", {})])
    }
    assert prefilled["organisation"] == "Swansea County Council"
    cleared = await driver.submit_modal(world.rhian, {"organisation": "-"})
    assert "Updated your signature" in cleared.text and "Swansea" not in cleared.text
    await wait_count(driver, post, "1 signature from 0 organisations")


@pytest.mark.usefixtures("ready")
async def test_sign_by_command_twice_is_one_signature_updated(
    driver: Driver, world: CoproWorld, open_letter: dict[str, str]
) -> None:
    await create(driver, world, open_letter)
    letter = await letter_id(driver, world)
    [post] = posts(driver, world)
    first = await sign(
        driver, world.dafydd, letter, name="Dafydd Jones", organisation="Cardiff University"
    )
    assert "You signed" in first.text
    second = await sign(
        driver, world.dafydd, letter, name="Dr Dafydd Jones", organisation="cardiff  university"
    )
    assert "Updated your signature" in second.text and "1 signature" in second.text
    await sign(driver, world.rhian, letter, name="Rhian Evans", organisation="CARDIFF UNIVERSITY")
    await wait_count(driver, post, "2 signatures from 1 organisation")
    listed = await driver.slash(world.rhian, "letter signatures", letter=letter)
    assert listed.ephemeral
    assert "Dr Dafydd Jones (Cardiff University)" in listed.text  # the record's name (#19)
    choices = await driver.autocomplete(world.organiser, "letter sign", "organisation", "CARD")
    assert [c["name"] for c in choices] == ["Cardiff University"]  # one record, three spellings


@pytest.mark.usefixtures("ready")
async def test_sign_command_without_name_opens_the_form(
    driver: Driver, world: CoproWorld, open_letter: dict[str, str]
) -> None:
    await create(driver, world, open_letter)
    letter = await letter_id(driver, world)
    opened = await sign(driver, world.rhian, letter, organisation="Patchwork Circles")
    assert opened.type == 9
    done = await driver.submit_modal(world.rhian, {"name": "Rhian Evans"})
    assert "Rhian Evans (Patchwork Circles)" in done.text


@pytest.mark.usefixtures("ready")
async def test_unlisted_signer_counts_but_is_not_listed(
    driver: Driver, world: CoproWorld, open_letter: dict[str, str]
) -> None:
    await create(driver, world, open_letter)
    letter = await letter_id(driver, world)
    [post] = posts(driver, world)
    await sign(driver, world.rhian, letter, name="Rhian Evans", organisation="United Welsh Housing")
    reply = await sign(driver, world.dafydd, letter, name="Dafydd Jones", public=False)
    assert text.LETTER_SIGNED_UNLISTED in reply.text
    await wait_count(driver, post, "2 signatures from 1 organisation")
    listed = await driver.slash(world.organiser, "letter signatures", letter=letter)
    assert "Rhian Evans" in listed.text and "Dafydd Jones" not in listed.text
    assert "1 more signed without their names shown" in listed.text


@pytest.mark.usefixtures("ready")
async def test_withdraw(driver: Driver, world: CoproWorld, open_letter: dict[str, str]) -> None:
    await create(driver, world, open_letter)
    letter = await letter_id(driver, world)
    [post] = posts(driver, world)
    await sign(driver, world.rhian, letter, name="Rhian Evans")
    await wait_count(driver, post, "1 signature")
    reply = await driver.slash(world.rhian, "letter withdraw", letter=letter)
    assert reply.ephemeral and "Your signature is off" in reply.text
    await wait_count(driver, post, "0 signatures")
    again = await driver.slash(world.rhian, "letter withdraw", letter=letter)
    assert again.ephemeral and "haven't signed" in again.text


async def test_milestone_celebrated_once_across_withdraw_and_resign(
    ready: Any, driver: Driver, world: CoproWorld, open_letter: dict[str, str]
) -> None:
    await create(driver, world, open_letter, milestone=2)
    letter = await letter_id(driver, world)
    [post] = posts(driver, world)
    await sign(driver, world.rhian, letter, name="Rhian Evans")
    await settle(ready)
    assert celebrations(driver, world) == []
    await sign(driver, world.dafydd, letter, name="Dafydd Jones")
    await driver.wait_for(lambda: celebrations(driver, world), message="no celebration")
    [party] = celebrations(driver, world)
    assert "**2 signatures**" in party.content and LETTER["title"] in party.content
    assert party.mentions() == {"users": [], "roles": [], "everyone": False}
    await driver.slash(world.dafydd, "letter withdraw", letter=letter)
    await sign(driver, world.dafydd, letter, name="Dafydd Jones")
    await wait_count(driver, post, "2 signatures")
    await settle(ready)
    assert len(celebrations(driver, world)) == 1


CHANNEL_POST = "POST /channels/{channel_id}/messages"
CHANNEL_EDIT = "PATCH /channels/{channel_id}/messages/{message_id}"


def celebrated_counts(driver: Driver, world: CoproWorld) -> list[int]:
    return [
        int(m.content.split("**")[1].split()[0].replace(",", ""))
        for m in celebrations(driver, world)
    ]


async def test_a_signer_is_answered_while_the_celebration_waits_and_the_highest_follows(
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    open_letter: dict[str, str],
) -> None:
    """The channel answers the celebration with a 429 (3 s): the signer who crossed the
    milestone is answered at once; milestones crossed meanwhile become one message."""
    await create(driver, world, open_letter, milestone=2)
    letter = await letter_id(driver, world)
    [post] = posts(driver, world)
    await sign(driver, world.rhian, letter, name="Rhian Evans")
    await settle(ready)
    discord_server.force_429(CHANNEL_POST, retry_after=3.0)
    crossed = await sign(driver, world.dafydd, letter, name="Dafydd Jones")
    assert "You signed" in crossed.text
    assert celebrations(driver, world) == []  # answered before its celebration is out
    await driver.wait_for(
        lambda: discord_server.rate_limited.get(CHANNEL_POST) == 1,
        message="the celebration was never tried",
    )
    more = [
        discord_server.add_member(world.guild, f"Member {n}", roles=[world.members])
        for n in range(4)
    ]
    await asyncio.gather(*(sign(driver, m, letter, name=m.display_name) for m in more))
    assert celebrations(driver, world) == []
    await settle(ready)
    assert celebrated_counts(driver, world) == [2, 6]  # 4 folded into 6, after the 429
    await wait_count(driver, post, "6 signatures")


async def test_a_burst_across_many_milestones_stays_within_discords_limits(
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    open_letter: dict[str, str],
) -> None:
    """20 members at once with milestone 2 (10 milestones) under Discord's 5 per 5 s per
    channel for messages and edits: every signer answered, no 429, the celebrations paced
    with the post's edits, rising, the last one 20, none twice."""
    for route in (CHANNEL_POST, CHANNEL_EDIT):
        discord_server.rate_limit(route, limit=5, per=5.0)
    await create(driver, world, open_letter, milestone=2)
    letter = await letter_id(driver, world)
    [post] = posts(driver, world)
    members = [
        discord_server.add_member(world.guild, f"Member {n}", roles=[world.members])
        for n in range(20)
    ]
    replies = await asyncio.gather(*(sign(driver, m, letter, name=m.display_name) for m in members))
    assert all("You signed" in r.text for r in replies)
    await settle(ready)
    counts = celebrated_counts(driver, world)
    assert counts and counts[-1] == 20 and counts == sorted(set(counts))
    assert all(c % 2 == 0 for c in counts) and len(counts) < 10
    assert "20 signatures" in field(post, text.LETTER_SIGNATURES)
    assert discord_server.rate_limited == {}


# --- reading ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("ready")
async def test_info_list_and_autocomplete(
    driver: Driver, world: CoproWorld, open_letter: dict[str, str]
) -> None:
    await create(driver, world, open_letter)
    await create(driver, world, open_letter, title="Letter to the Health Minister", closes=None)
    choices = await driver.autocomplete(world.rhian, "letter info", "letter", "first min")
    assert [c["name"] for c in choices] == [LETTER["title"]]
    info = await driver.slash(world.rhian, "letter info", letter=choices[0]["value"])
    assert info.ephemeral and info.embed().description == BODY
    by_title = await driver.slash(
        world.rhian, "letter info", letter="letter to the health minister"
    )
    assert by_title.embed().title == "Letter to the Health Minister"
    unknown = await driver.slash(world.rhian, "letter info", letter="Letter to Santa")
    assert unknown.ephemeral and "couldn't find a letter" in unknown.text
    listing = await driver.slash(world.dafydd, "letter list")
    assert listing.ephemeral
    names = [f.name for f in listing.embed().fields]
    assert names == [f"{LETTER['title']} (open)", "Letter to the Health Minister (open)"]


@pytest.mark.usefixtures("ready")
async def test_signatures_are_paged_with_buttons(
    ready: Any, driver: Driver, world: CoproWorld, open_letter: dict[str, str]
) -> None:
    await create(driver, world, open_letter)
    letter = await letter_id(driver, world)
    for n in range(23):
        await ready.letter_service.sign(
            world.guild.id,
            7_000 + n,
            int(letter),
            name=f"Member {n + 1:02d}",
            organisation=None,
            public=True,
        )
    first = await driver.slash(world.rhian, "letter signatures", letter=letter)
    assert "1. Member 01" in first.text and "20. Member 20" in first.text
    assert "Member 21" not in first.text and "Page 1 of 2" in first.text
    after = await driver.click(world.rhian, first.message, text.BUTTON_NEXT)
    second = after.message or first.message
    assert second is not None and "21. Member 21" in second.text and "Page 2 of 2" in second.text
    empty = await driver.slash(world.rhian, "letter signatures", letter="nope")
    assert empty.ephemeral and "couldn't find" in empty.text


# --- closing and reopening ---------------------------------------------------------------------


@pytest.mark.usefixtures("ready")
async def test_close_confirmed_by_button_stops_signing(
    driver: Driver, world: CoproWorld, open_letter: dict[str, str]
) -> None:
    await create(driver, world, open_letter)
    letter = await letter_id(driver, world)
    [post] = posts(driver, world)
    kept = await driver.slash(world.organiser, "letter close", letter=letter)
    await driver.click(world.organiser, kept.message, text.BUTTON_CLOSE_KEEP)
    assert "stays open" in (kept.message.text if kept.message else "")
    prompt = await driver.slash(world.organiser, "letter close", letter=letter)
    assert prompt.ephemeral and "Close **Open Letter" in prompt.text
    done = await driver.click(world.organiser, prompt.message, text.BUTTON_CLOSE_CONFIRM)
    assert "Closed **Open Letter" in driver.message(done.message or prompt).text
    await driver.wait_for(lambda: post.embeds[0]["title"].startswith("CLOSED:"))
    assert sign_button(post).get("disabled") is True
    with pytest.raises(DriverError):
        await driver.click(world.rhian, post, text.BUTTON_SIGN_CLOSED)
    refused = await sign(driver, world.rhian, letter, name="Rhian Evans")
    assert refused.ephemeral and "can't be signed any more" in refused.text
    form = await sign(driver, world.rhian, letter)
    assert form.modal is None and "can't be signed any more" in form.text
    again = await driver.slash(world.organiser, "letter close", letter=letter)
    assert "already closed" in again.text


async def test_closed_by_its_job_then_reopened_by_moving_closes(
    ready: Any, driver: Driver, world: CoproWorld, clock: FakeClock, open_letter: dict[str, str]
) -> None:
    closing = soon(clock)  # two hours on in real time too: the scheduler leaves it to the test
    await create(driver, world, open_letter, closes=typed(closing))
    letter = await letter_id(driver, world)
    [post] = posts(driver, world)
    assert f"letter-close:{letter}" in ready.jobs.pending()
    clock.set(closing + timedelta(seconds=1))
    assert await ready.letter_service.close_due(int(letter))  # what the job runs
    await driver.wait_for(lambda: post.embeds[0]["title"].startswith("CLOSED:"))
    assert sign_button(post)["disabled"] is True
    later = local_date(clock()) + timedelta(days=7)
    moved = f"{later.day} {later:%b} 5pm"  # "5 Dec 5pm": a week on, as a member writes it
    reply = await driver.slash(world.organiser, "letter edit", letter=letter, closes=moved)
    assert "open for signing again" in reply.text
    await driver.wait_for(lambda: not sign_button(post).get("disabled"))
    assert post.embeds[0]["title"] == LETTER["title"]
    signed = await sign(driver, world.rhian, letter, name="Rhian Evans")
    assert "You signed" in signed.text


async def test_a_letter_whose_time_passed_while_down_closes_at_start(
    start_bot: StartBot,
    driver: Driver,
    world: CoproWorld,
    clock: FakeClock,
    open_letter: dict[str, str],
) -> None:
    async with start_bot():
        await driver.slash(world.admin, "setup channel", announcements=world.announcements)
        closing = soon(clock)
        await create(driver, world, open_letter, closes=typed(closing))
    [post] = posts(driver, world)
    assert not post.embeds[0]["title"].startswith("CLOSED:")
    clock.set(closing + timedelta(hours=3))  # the bot was down when it was due
    async with start_bot():
        await driver.wait_for(lambda: post.embeds[0]["title"].startswith("CLOSED:"))
        assert sign_button(post)["disabled"] is True


async def test_sign_button_still_works_after_a_restart(
    start_bot: StartBot, driver: Driver, world: CoproWorld, open_letter: dict[str, str]
) -> None:
    async with start_bot():
        await driver.slash(world.admin, "setup channel", announcements=world.announcements)
        await create(driver, world, open_letter)
    [post] = posts(driver, world)
    async with start_bot():
        opened = await driver.click(world.dafydd, post, text.BUTTON_SIGN)
        assert opened.type == 9
        done = await driver.submit_modal(
            world.dafydd, {"name": "Dafydd Jones", "organisation": "Monmouth County Council"}
        )
        assert "You signed" in done.text
        await wait_count(driver, post, "1 signature from 1 organisation")


async def test_a_form_opened_before_a_restart_is_stored_and_answered_after_it(
    start_bot: StartBot, driver: Driver, world: CoproWorld, open_letter: dict[str, str]
) -> None:
    """The form carries its letter (and /letter sign's `public`) in its custom_id, so the
    bot answering its submission needs nothing from the process that opened it."""
    async with start_bot():
        await driver.slash(world.admin, "setup channel", announcements=world.announcements)
        await create(driver, world, open_letter)
        [post] = posts(driver, world)
        letter = await letter_id(driver, world)
        by_button = await driver.click(world.dafydd, post, text.BUTTON_SIGN)
        by_command = await sign(driver, world.rhian, letter, public=False)
    assert by_button.modal is not None and by_command.modal is not None
    assert by_button.modal["custom_id"] == f"letter:signform:{letter}"
    assert by_command.modal["custom_id"] == f"letter:signform:{letter}:0"
    async with start_bot() as bot:
        done = await driver.submit_modal(
            world.dafydd, {"name": "Dafydd Jones", "organisation": "Monmouth County Council"}
        )
        assert done.ephemeral and "You signed **Open Letter to the First Minister**" in done.text
        unlisted = await driver.submit_modal(world.rhian, {"name": "Rhian Evans"})
        assert text.LETTER_SIGNED_UNLISTED in unlisted.text
        await wait_count(driver, post, "2 signatures from 1 organisation")
        async with bot.db.reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT user_id, name, public FROM signatures ORDER BY name"
            )
        assert [tuple(r) for r in rows] == [
            (world.dafydd.id, "Dafydd Jones", 1),
            (world.rhian.id, "Rhian Evans", 0),
        ]
    assert not [r for r in driver.server.interactions.values() if r.rejected]  # none twice


# --- editing and export ----------------------------------------------------------------------


@pytest.mark.usefixtures("ready")
async def test_body_edit_after_signatures_tells_signers(
    driver: Driver, world: CoproWorld, open_letter: dict[str, str]
) -> None:
    await create(driver, world, open_letter)
    letter = await letter_id(driver, world)
    [post] = posts(driver, world)
    await sign(driver, world.rhian, letter, name="Rhian Evans")
    await sign(driver, world.dafydd, letter, name="Dafydd Jones", public=False)
    refused = await driver.slash(world.organiser, "letter edit", letter=letter)
    assert refused.ephemeral and "changes nothing" in refused.text
    reply = await driver.slash(
        world.organiser, "letter edit", letter=letter, body=BODY + " We offer our help."
    )
    assert reply.ephemeral and "text" in reply.text and "telling the 2 people" in reply.text
    for member in (world.rhian, world.dafydd):
        dm = await driver.wait_for_dm(member)
        assert LETTER["title"] in dm.content and "/letter withdraw" in dm.content
    await driver.wait_for(lambda: "We offer our help." in post.embeds[0]["description"])
    assert text.LETTER_TEXT_CHANGED in [f["name"] for f in post.embeds[0]["fields"]]


@pytest.mark.usefixtures("ready")
async def test_export_markdown_and_csv(
    driver: Driver, world: CoproWorld, open_letter: dict[str, str]
) -> None:
    await create(driver, world, open_letter)
    letter = await letter_id(driver, world)
    await sign(driver, world.rhian, letter, name="Rhian Evans", organisation="Cardiff University")
    await sign(
        driver, world.dafydd, letter, name='=HYPERLINK("x")', organisation="cardiff university"
    )
    await sign(driver, world.admin, letter, name="Carys Price", public=False)
    await sign(
        driver, world.organiser, letter, name="Gareth Morgan", organisation="United Welsh Housing"
    )

    markdown = await driver.slash(world.organiser, "letter export", letter=letter)
    assert markdown.ephemeral
    [(name, data)] = markdown.files.items()
    assert name.endswith(".md")
    document = data.decode()
    assert document.startswith(f"# {LETTER['title']}") and BODY in document
    assert "4 signatures from 2 organisations" in document
    assert document.index("### Cardiff University") < document.index("### United Welsh Housing")
    assert "Carys Price" not in document  # not public

    table = await driver.slash(world.organiser, "letter export", letter=letter, format="csv")
    csv_name = next(n for n in table.files if n.endswith(".csv"))
    rows = list(csv.reader(io.StringIO(table.files[csv_name].decode("utf-8-sig"))))
    assert rows[0] == list(text.EXPORT_CSV_HEADER)
    assert [(r[0], r[1]) for r in rows[1:]] == [
        ("Cardiff University", '\'=HYPERLINK("x")'),
        ("Cardiff University", "Rhian Evans"),
        ("United Welsh Housing", "Gareth Morgan"),
    ]
    letter_text = next(d for n, d in table.files.items() if n.endswith(".txt")).decode()
    assert BODY in letter_text


async def test_member_text_never_pings(
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    open_letter: dict[str, str],
) -> None:
    hostile = f"@everyone @here <@&{world.members.id}> <@{world.rhian.id}>"
    await create(
        driver, world, open_letter, title=hostile, addressee=hostile, body=hostile, milestone=1
    )
    letter = await letter_id(driver, world)
    reply = await sign(driver, world.rhian, letter, name=hostile, organisation=hostile)
    assert reply.message is not None
    assert reply.message.mentions() == {"users": [], "roles": [], "everyone": False}
    for message in driver.messages(world.announcements):
        assert message.mentions() == {"users": [], "roles": [], "everyone": False}
