"""Web fixtures: the real app served by the real WebServer on a free port of 127.0.0.1, over
services built on a real SQLite file (tests/conftest.py), and an HTTP client to ask it.

`serve(context, limits=...)` starts a server for a context of the test's making;
`web` is one over the feed service and a health probe the test can turn (`health_state`)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from typing import Any

import aiohttp
import pytest

from bot.services.feeds import FeedService
from bot.services.guilds import GuildService
from bot.web.app import WebContext, make_app
from bot.web.health import Health
from bot.web.server import Limits, WebServer, bind_socket
from tests.support.fakes import FakeClock

PUBLIC_URL = "https://bot.example.org"


@dataclass
class Running:
    server: WebServer
    session: aiohttp.ClientSession

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    def url(self, path: str) -> str:
        return self.base + path

    async def get(self, path: str, method: str = "GET", **kwargs: Any) -> tuple[Any, bytes]:
        """(response, body) of one request."""
        async with self.session.request(method, self.url(path), **kwargs) as response:
            return response, await response.read()


Serve = Callable[..., contextlib.AbstractAsyncContextManager[Running]]


@pytest.fixture
def serve() -> Serve:
    @contextlib.asynccontextmanager
    async def start(context: WebContext, limits: Limits | None = None) -> AsyncIterator[Running]:
        server = WebServer(make_app(context), bind_socket("127.0.0.1", 0), limits)
        await server.start()
        try:
            async with aiohttp.ClientSession() as session:  # gzip asked for and undone, as apps do
                yield Running(server, session)
        finally:
            await server.stop()

    return start


@pytest.fixture
def feeds(db: Any, clock: FakeClock, guilds: GuildService) -> FeedService:
    return FeedService(db, clock, guilds)


@dataclass
class HealthState:
    health: Health = field(
        default_factory=lambda: Health(gateway=True, database=True, scheduler=True, jobs_pending=0)
    )

    async def __call__(self) -> Health:
        return self.health

    def set(self, **changes: Any) -> None:
        self.health = replace(self.health, **changes)


@pytest.fixture
def health_state() -> HealthState:
    return HealthState()


@pytest.fixture
async def web(
    serve: Serve, feeds: FeedService, clock: FakeClock, health_state: HealthState
) -> AsyncIterator[Running]:
    context = WebContext(clock=clock, public_url=PUBLIC_URL, health=health_state, feeds=feeds)
    async with serve(context) as running:
        yield running
