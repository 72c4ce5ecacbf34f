"""Fixtures of the letter page tests, loaded with `pytest_plugins` by the modules that use
them: `letter_service`, the real LetterService over the shared real SQLite file
(tests/conftest.py), and `letter_web`, the real web app over it through aiohttp's test
client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.db import Database
from bot.services.guilds import GuildService
from bot.services.letters import LetterService
from bot.web.app import WebContext, make_app
from tests.services.test_letters import FakeLetterPoster
from tests.support.fakes import FakeClock, FakeJobs, FakePostTouch
from tests.web.letters_support import PUBLIC_URL


@pytest.fixture
def letter_service(
    db: Database, clock: FakeClock, guilds: GuildService, post_touch: FakePostTouch, jobs: FakeJobs
) -> LetterService:
    """The real LetterService over the shared real SQLite file (tests/conftest.py)."""
    return LetterService(db, clock, guilds, FakeLetterPoster(), post_touch, jobs)


@pytest.fixture
async def letter_web(letter_service: LetterService, clock: FakeClock) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    """The real web app over `letter_service`, through aiohttp's test client."""
    context = WebContext(clock=clock, public_url=PUBLIC_URL, letters=letter_service)
    client: TestClient = TestClient(TestServer(make_app(context)))  # type: ignore[type-arg]
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()
