"""The first second counts: a reaction made on an announcement the moment it appears counts
like any other, on a new post and on one posted again after it was deleted.

The stand-in's `before_answer` hook acts in the gap: after Discord has made the post (or the
bot's first own reaction) and before the bot hears back. There members react, and the hook
waits until the bot has received those reaction events and its reaction worker is idle, so
they are dealt with before the bot even knows its post's id (or has finished offering the
three choices). Then the counts on the post, in the database and in /events attendees must
show them, with the waitlist's DMs and the clean-up of a switched answer as usual.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.domain.rsvps import CANT_EMOJI, GOING_EMOJI, MAYBE_EMOJI, RsvpCounts
from tests.e2e.conftest import CoproWorld
from tests.e2e.steps import counts, counts_on_post, settled
from tests.fakediscord import Driver, FakeDiscord
from tests.fakediscord.models import Member, Message
from tests.fakediscord.server import Answer
from tests.support.dates import at_local, typed

TITLE = "S. Wales Network Meeting 4"
POST = "POST /channels/{channel_id}/messages"
OWN_REACTION = "PUT /channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me"

Step = tuple[Member, str, bool]  # who, which emoji, added (False: taken off again)


@pytest.fixture
def meeting(clock: Callable[[], datetime]) -> dict[str, str]:
    return {"when": typed(at_local(clock(), days=5)), "title": TITLE}


@pytest.fixture
async def ready(bot_app: Any, driver: Driver, world: CoproWorld) -> Any:
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    return bot_app


def in_the_gap(
    bot: Any, server: FakeDiscord, route: str, steps: Callable[[Message], list[Step]]
) -> list[Message]:
    """On the next announcement `route` touches, make `steps` before the bot hears back, and
    hold the answer until the bot has received them and its reaction worker is idle. Returns
    a list that receives the post once the hook has run."""
    workers = bot.rsvp_workers
    done: list[Message] = []

    async def hook(answer: Answer) -> None:
        # a reaction's route names the message; a new message's id is in the answer
        message = server.messages[int(answer.params.get("message_id") or answer.body["id"])]
        if not message.embeds or done:
            return
        server.before_answer(route, None)
        done.append(message)
        seen = workers.seen
        for member, emoji, added in steps(message):
            if added:
                assert server.add_reaction(message, member.user, emoji)
            else:
                assert server.remove_reaction(message, member.id, emoji)
        await server.wait_for(
            lambda: workers.seen >= seen + len(steps(message)) and not workers.busy(),
            timeout=5,
            message="the bot did not take the reactions made in the gap",
        )

    server.before_answer(route, hook)
    return done


def going_listed(reply: Any) -> str:
    return reply.embed().fields[0].value or ""


async def test_reactions_made_as_the_post_appears_count(
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    meeting: dict[str, str],
) -> None:
    gap = in_the_gap(
        ready,
        discord_server,
        POST,
        lambda _: [(world.rhian, GOING_EMOJI, True), (world.dafydd, MAYBE_EMOJI, True)],
    )
    reply = await driver.slash(world.organiser, "events create", options=meeting)
    assert "Posted" in reply.text
    [post] = gap
    await settled(ready, discord_server)
    assert await counts(ready, post) == RsvpCounts(going=1, maybe=1)
    assert counts_on_post(post) == "✅ 1 going · 🤔 1 maybe · ❌ 0 can't go"
    listed = await driver.slash(world.organiser, "events attendees", event=TITLE)
    assert f"<@{world.rhian.id}>" in going_listed(listed)
    assert f"<@{world.dafydd.id}>" in (listed.embed().fields[1].value or "")
    me = discord_server.bot_user.id
    assert all(me in post.reactors(e) for e in (GOING_EMOJI, MAYBE_EMOJI, CANT_EMOJI))


async def test_a_reaction_between_the_bots_own_three_counts(
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    meeting: dict[str, str],
) -> None:
    gap = in_the_gap(
        ready, discord_server, OWN_REACTION, lambda _: [(world.rhian, CANT_EMOJI, True)]
    )
    await driver.slash(world.organiser, "events create", options=meeting)
    [post] = gap
    await settled(ready, discord_server)
    assert await counts(ready, post) == RsvpCounts(cant=1)
    assert counts_on_post(post) == "✅ 0 going · 🤔 0 maybe · ❌ 1 can't go"


async def test_the_gap_keeps_order_waitlist_switches_and_withdrawals(
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    meeting: dict[str, str],
) -> None:
    """capacity 1: Rhian takes the place, Dafydd waits, Rhian switches to maybe (Dafydd moves
    up), the organiser says can't go and takes it back, all before the bot knows the post."""
    steps = [
        (world.rhian, GOING_EMOJI, True),
        (world.dafydd, GOING_EMOJI, True),
        (world.rhian, MAYBE_EMOJI, True),
        (world.organiser, CANT_EMOJI, True),
        (world.organiser, CANT_EMOJI, False),
    ]
    gap = in_the_gap(ready, discord_server, POST, lambda _: steps)
    await driver.slash(world.organiser, "events create", options={**meeting, "capacity": 1})
    [post] = gap
    await settled(ready, discord_server)
    assert await counts(ready, post) == RsvpCounts(going=1, maybe=1)
    assert counts_on_post(post) == "✅ 1/1 going · 🤔 1 maybe · ❌ 0 can't go"
    listed = await driver.slash(world.organiser, "events attendees", event=TITLE)
    assert f"<@{world.dafydd.id}>" in going_listed(listed)
    assert f"<@{world.rhian.id}>" not in going_listed(listed)
    assert "waitlist: number 1" in driver.dms(world.dafydd)[0].content
    assert "you're now going" in driver.dms(world.dafydd)[-1].content
    assert world.rhian.id not in post.reactors(GOING_EMOJI)  # her old answer taken off
    assert world.rhian.id in post.reactors(MAYBE_EMOJI)


async def test_a_reaction_on_a_post_made_again_counts(
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    meeting: dict[str, str],
) -> None:
    await driver.slash(world.organiser, "events create", options=meeting)
    [first] = [m for m in driver.messages(world.announcements) if m.embeds]
    await driver.react(world.rhian, first, GOING_EMOJI)
    await settled(ready, discord_server)
    discord_server.delete_message(first)  # an organiser deleted the announcement by hand
    gap = in_the_gap(ready, discord_server, POST, lambda _: [(world.dafydd, GOING_EMOJI, True)])
    edited = await driver.slash(world.organiser, "events edit", event=TITLE, where="Online")
    assert "posted it again" in edited.text
    [again] = gap
    await settled(ready, discord_server)
    assert await counts(ready, again) == RsvpCounts(going=2)  # Rhian's earlier answer stays
    assert counts_on_post(again) == "✅ 2 going · 🤔 0 maybe · ❌ 0 can't go"
    listed = await driver.slash(world.organiser, "events attendees", event=TITLE)
    assert f"<@{world.dafydd.id}>" in going_listed(listed)
    me = discord_server.bot_user.id
    assert all(me in again.reactors(e) for e in (GOING_EMOJI, MAYBE_EMOJI, CANT_EMOJI))


def refuse_saving_post_ids(path: Path) -> None:
    """From now on the database refuses to record an event's post (a write that fails)."""
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TRIGGER refuse_post_ids BEFORE UPDATE OF message_id ON events "
            "WHEN NEW.message_id IS NOT NULL BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
        )


def allow_saving_post_ids(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER refuse_post_ids")


def rows(path: Path, table: str) -> list[Any]:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT * FROM {table}").fetchall()


async def test_a_post_whose_id_could_not_be_saved_leaves_nothing_behind(
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    bot_env: dict[str, str],
    meeting: dict[str, str],
) -> None:
    path = Path(bot_env["DATABASE_PATH"])
    refuse_saving_post_ids(path)
    gap = in_the_gap(ready, discord_server, POST, lambda _: [(world.rhian, GOING_EMOJI, True)])
    reply = await driver.slash(world.organiser, "events create", options=meeting)
    assert reply.ephemeral and "Traceback" not in reply.text and "Posted" not in reply.text
    [post] = gap
    await settled(ready, discord_server)
    assert post.deleted  # taken down again
    assert (
        rows(path, "events") == [] and rows(path, "rsvps") == [] and rows(path, "reminders") == []
    )
    allow_saving_post_ids(path)
    # the next one is posted, and the reaction on the post taken down counts nowhere
    await driver.slash(world.organiser, "events create", options=meeting)
    [post] = [m for m in driver.messages(world.announcements) if m.embeds and not m.deleted]
    await settled(ready, discord_server)
    assert await counts(ready, post) == RsvpCounts()


async def test_a_post_made_again_whose_id_could_not_be_saved_is_taken_down(
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    bot_env: dict[str, str],
    meeting: dict[str, str],
) -> None:
    path = Path(bot_env["DATABASE_PATH"])
    await driver.slash(world.organiser, "events create", options=meeting)
    [first] = [m for m in driver.messages(world.announcements) if m.embeds]
    await driver.react(world.rhian, first, GOING_EMOJI)
    await settled(ready, discord_server)
    discord_server.delete_message(first)
    refuse_saving_post_ids(path)
    gap = in_the_gap(ready, discord_server, POST, lambda _: [(world.dafydd, MAYBE_EMOJI, True)])
    reply = await driver.slash(world.organiser, "events edit", event=TITLE, where="Online")
    assert reply.ephemeral and "Traceback" not in reply.text
    [again] = gap
    await settled(ready, discord_server)
    assert again.deleted  # no post left up that the database does not know
    allow_saving_post_ids(path)
    # the edit itself was kept; the next edit posts the announcement again, with the answers
    edited = await driver.slash(world.organiser, "events edit", event=TITLE, where="Cardiff")
    assert "posted it again" in edited.text
    [third] = [m for m in driver.messages(world.announcements) if m.embeds and not m.deleted]
    await settled(ready, discord_server)
    assert await counts(ready, third) == RsvpCounts(going=1)
