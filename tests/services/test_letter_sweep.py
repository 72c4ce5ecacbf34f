"""Letters like events: a letter saved but never posted is swept at start; a post whose id
can't be saved is taken down and the letter not kept."""

from __future__ import annotations

import logging
import sqlite3

import pytest

from bot.db import Database
from bot.domain.guilds import Actor
from bot.domain.letters import make_draft
from bot.services.guilds import GuildService
from bot.services.letters import LetterInput, LetterService
from bot.stores.letters import LetterStore
from tests.conftest import ANNOUNCE, GUILD
from tests.services.test_letters import FakeLetterPoster
from tests.support.fakes import FakeClock, FakeJobs, FakePostTouch

pytestmark = pytest.mark.usefixtures("configured")

LETTER = LetterInput(
    title="Open Letter to the First Minister", addressee="The First Minister", body="Text"
)


@pytest.fixture
def poster() -> FakeLetterPoster:
    return FakeLetterPoster()


@pytest.fixture
def letters(
    db: Database, clock: FakeClock, guilds: GuildService, poster: FakeLetterPoster, jobs: FakeJobs
) -> LetterService:
    return LetterService(db, clock, guilds, poster, FakePostTouch(), jobs)


async def titles(db: Database) -> list[tuple[str, int]]:
    async with db.reading() as conn:
        rows = await conn.execute_fetchall("SELECT title, posted FROM letters ORDER BY id")
    return [(row[0], row[1]) for row in rows]


async def test_sweep_removes_only_letters_never_posted(
    letters: LetterService,
    db: Database,
    clock: FakeClock,
    organiser: Actor,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await letters.create(GUILD, organiser, LETTER, None)
    store = LetterStore(db)
    draft = make_draft(title="Half-made", addressee="The Senedd", body="Text")
    async with db.transaction():  # what a stop between saving and posting leaves
        half_made = await store.insert(GUILD, draft, ANNOUNCE, organiser.user_id, clock())
    await letters.sign(GUILD, 7, half_made, name="Dafydd", organisation=None, public=None)
    assert await titles(db) == [(LETTER.title, 1), ("Half-made", 0)]
    caplog.set_level(logging.WARNING)
    assert await letters.sweep_unposted() == 1
    assert await titles(db) == [(LETTER.title, 1)]
    async with db.reading() as conn:
        [(signatures,)] = await conn.execute_fetchall("SELECT count(*) FROM signatures")
    assert signatures == 0
    assert any("'Half-made'" in r.getMessage() for r in caplog.records)
    assert await letters.sweep_unposted() == 0


async def test_a_post_whose_id_cannot_be_saved_is_taken_down(
    letters: LetterService,
    db: Database,
    poster: FakeLetterPoster,
    organiser: Actor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def refuse(self: LetterStore, letter_id: int, message_id: int) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    with monkeypatch.context() as patched:
        patched.setattr(LetterStore, "set_message", refuse)
        with pytest.raises(sqlite3.OperationalError):
            await letters.create(GUILD, organiser, LETTER, None)
    assert poster.posts == {}  # taken down again
    assert await titles(db) == []
