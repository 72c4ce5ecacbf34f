"""`GET /healthz`: 200 and a small JSON while the bot is healthy, 503 with the same JSON when
not, for an uptime monitor. The Bot hands in the probe (bot/client.py), so nothing here
knows the Bot. The answer is at most `PROBE_EVERY_S` old."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass

from aiohttp import web

from bot.web.app import WebContext

log = logging.getLogger(__name__)

PROBE_TIMEOUT_S = 3.0  # a probe stuck (the database locked for long) is unhealthy
# At most one probe this often, however many ask: the answer is shared, so a client asking
# without a pause never keeps the database (which the probe queries) from the bot's work.
PROBE_EVERY_S = 1.0


@dataclass(frozen=True)
class Health:
    gateway: bool  # connected to Discord and ready
    database: bool  # a query answered
    scheduler: bool  # the job scheduler is running
    jobs_pending: int

    @property
    def healthy(self) -> bool:
        return self.gateway and self.database and self.scheduler


HealthProbe = Callable[[], Awaitable[Health]]


async def probe(check: HealthProbe) -> Health:
    try:
        return await asyncio.wait_for(check(), PROBE_TIMEOUT_S)
    except asyncio.CancelledError:
        raise
    except Exception:
        log.warning("health probe failed", exc_info=True)
        return Health(gateway=False, database=False, scheduler=False, jobs_pending=0)


def add_routes(routes: web.RouteTableDef, context: WebContext) -> None:
    check = context.health
    if check is None:
        return

    lock = asyncio.Lock()
    last: list[tuple[float, Health]] = []  # when the last probe ended, and what it found

    async def current() -> Health:
        loop = asyncio.get_running_loop()
        async with lock:  # those asking meanwhile wait for this probe and share its answer
            if last and loop.time() - last[0][0] < PROBE_EVERY_S:
                return last[0][1]
            health = await probe(check)
            last[:] = [(loop.time(), health)]
            return health

    @routes.get("/healthz")
    async def healthz(request: web.Request) -> web.StreamResponse:
        health = await current()
        return web.json_response(
            asdict(health),
            status=200 if health.healthy else 503,
            headers={"Cache-Control": "no-store"},
        )
