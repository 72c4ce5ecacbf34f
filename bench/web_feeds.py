"""Web (issue 17): a calendar feed of 10,000 events under 50 concurrent clients.

    .venv/bin/python -m bench.web_feeds [--events 10000] [--clients 50] [--requests 20]
        [--runs 3] [--gzip]

Each run makes a fresh SQLite file holding one server's `--events` posted events (an hour
apart from now on, every tenth cancelled, each with two reminders), issues one server-feed
token, and starts the bot's real web app (bot/web: `make_app` over the real `FeedService`,
served by `WebServer` on a free port of 127.0.0.1) in ITS OWN process, so the clients here
do not share its event loop. Then, from this process:

* cold: one GET while nothing is rendered yet (reads the events and renders the calendar);
* full: `--clients` clients at once, each sending `--requests` GETs one after another with
  no validator; each latency is from sending the request to the last byte of the body;
* 304: the same with `If-None-Match: <the ETag>`, answered 304 with no body.

`python -m bench.web_feeds --poll URL,URL --clients N` is the web load of
`bench.rsvp_burst --web-clients N` (see there): N clients polling until SIGTERM.

With `--gzip` the clients send `Accept-Encoding: gzip` (as calendar apps do); without it
they ask for the body as it is. Printed per run: p50 / p99 / max of each phase, the body's
size, and the targets (full p99 < 50 ms, 304 p99 < 5 ms). Medians over runs at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

ROOT = str(Path(__file__).resolve().parents[1])
GUILD = 1_000_001
MEMBER = 42


async def fill(path: Path, count: int) -> str:
    """A database with `count` posted events of one server; returns a feed token."""
    from bot.clock import system_clock
    from bot.db import Database
    from bot.domain.events import EventDraft, Region
    from bot.services.feeds import FeedService
    from bot.services.guilds import GuildService
    from bot.stores.events import EventStore

    db = await Database.open(path)
    await db.migrate()
    store = EventStore(db)
    now = datetime.now(UTC).replace(microsecond=0)
    async with db.transaction():
        for i in range(count):
            start = now + timedelta(hours=i + 1)
            draft = EventDraft(
                title=f"S. Wales Network Meeting {i}",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                place="United Welsh Housing, Caerphilly",
                host="United Welsh Housing",
                region=Region.SOUTH,
                description="Co-production in practice: what we learned this year.",
                reminder_offsets=(timedelta(days=1), timedelta(hours=1)),
            )
            event_id = await store.insert(GUILD, draft, 2_000_001, 3_000_001, now)
            await store.set_message(event_id, 4_000_000 + event_id)
            if i % 10 == 9:
                await store.cancel(event_id, "Venue unavailable", now)
    feeds = FeedService(db, system_clock, GuildService(db, system_clock, None))  # type: ignore[arg-type]
    issued = await feeds.issue(GUILD, MEMBER, region=None, mine=False, reset=False)
    await db.close()
    return issued.token


async def serve(path: Path) -> None:
    """The child: the bot's web app over this database until SIGTERM; prints its port."""
    from bot.clock import system_clock
    from bot.db import Database
    from bot.services.feeds import FeedService
    from bot.services.guilds import GuildService
    from bot.web.app import WebContext, make_app
    from bot.web.server import WebServer, bind_socket

    db = await Database.open(path)
    feeds = FeedService(db, system_clock, GuildService(db, system_clock, None))  # type: ignore[arg-type]
    context = WebContext(clock=system_clock, public_url="http://localhost", feeds=feeds)
    server = WebServer(make_app(context), bind_socket("127.0.0.1", 0))
    await server.start()
    print(server.port, flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    await server.stop()
    await db.close()


async def poll(urls: list[str], clients: int) -> None:
    """The child of `bench.rsvp_burst --web-clients N`: `clients` clients asking for `urls` in
    turn, without a pause, until SIGTERM; half send the ETag they last got (as calendar apps
    do), half never do. Prints one line: requests by status, and errors."""
    statuses: Counter[int] = Counter()
    errors = 0
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)

    async def client(number: int, session: aiohttp.ClientSession) -> None:
        nonlocal errors
        tags: dict[str, str] = {}
        turn = number
        while not stop.is_set():
            url = urls[turn % len(urls)]
            turn += 1
            headers = {"If-None-Match": tags[url]} if number % 2 and url in tags else {}
            try:
                async with session.get(url, headers=headers) as response:
                    await response.read()
                    statuses[response.status] += 1
                    if "ETag" in response.headers:
                        tags[url] = response.headers["ETag"]
            except aiohttp.ClientError:
                errors += 1
                await asyncio.sleep(0.05)

    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector) as session:
        print("polling", flush=True)
        tasks = [asyncio.create_task(client(n, session)) for n in range(clients)]
        await stop.wait()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    counted = " ".join(f"{status}:{n}" for status, n in sorted(statuses.items()))
    print(f"requests {sum(statuses.values())} {counted} errors {errors}", flush=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def phase(
    session: aiohttp.ClientSession, url: str, clients: int, requests: int, headers: dict[str, str]
) -> tuple[list[float], set[int], int]:
    latencies: list[float] = []
    statuses: set[int] = set()
    size = 0

    async def client() -> None:
        nonlocal size
        for _ in range(requests):
            started = time.perf_counter()
            async with session.get(url, headers=headers) as response:
                body = await response.read()
            latencies.append(time.perf_counter() - started)
            statuses.add(response.status)
            size = max(size, len(body))

    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies, statuses, size


async def one_run(args: argparse.Namespace) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        token = await fill(path, args.events)
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.web_feeds",
            "--serve",
            str(path),
            stdout=asyncio.subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": ROOT},
        )
        try:
            assert child.stdout is not None
            port = int(await child.stdout.readline())
            url = f"http://127.0.0.1:{port}/feeds/{token}.ics"
            encoding = {"Accept-Encoding": "gzip" if args.gzip else "identity"}
            connector = aiohttp.TCPConnector(limit=args.clients)
            async with aiohttp.ClientSession(connector=connector, auto_decompress=False) as session:
                started = time.perf_counter()
                async with session.get(url, headers=encoding) as response:
                    await response.read()
                    etag = response.headers["ETag"]
                cold = time.perf_counter() - started
                full, full_statuses, size = await phase(
                    session, url, args.clients, args.requests, encoding
                )
                conditional = {**encoding, "If-None-Match": etag}
                not_modified, nm_statuses, _ = await phase(
                    session, url, args.clients, args.requests, conditional
                )
            assert full_statuses == {200}, full_statuses
            assert nm_statuses == {304}, nm_statuses
        finally:
            child.send_signal(signal.SIGTERM)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(child.wait(), 10)
    figures = {
        "cold_s": cold,
        "full_p50_ms": percentile(full, 0.5) * 1000,
        "full_p99_ms": percentile(full, 0.99) * 1000,
        "full_max_ms": max(full) * 1000,
        "nm_p50_ms": percentile(not_modified, 0.5) * 1000,
        "nm_p99_ms": percentile(not_modified, 0.99) * 1000,
        "nm_max_ms": max(not_modified) * 1000,
        "body_kb": size / 1024,
    }
    print(
        f"cold {cold:.2f} s | full p50 {figures['full_p50_ms']:.1f} p99 "
        f"{figures['full_p99_ms']:.1f} max {figures['full_max_ms']:.1f} ms (target p99 < 50) | "
        f"304 p50 {figures['nm_p50_ms']:.2f} p99 {figures['nm_p99_ms']:.2f} max "
        f"{figures['nm_max_ms']:.2f} ms (target p99 < 5) | body {figures['body_kb']:.0f} KiB",
        flush=True,
    )
    return figures


async def main(args: argparse.Namespace) -> None:
    runs = [await one_run(args) for _ in range(args.runs)]
    print("median of runs:")
    for name in runs[0]:
        print(f"  {name}: {statistics.median(run[name] for run in runs):.2f}")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--gzip", action="store_true")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--poll", help=argparse.SUPPRESS)  # comma-separated URLs
    return parser.parse_args(argv)


if __name__ == "__main__":
    options: Any = parse()
    if options.serve:
        asyncio.run(serve(options.serve))
    elif options.poll:
        asyncio.run(poll(options.poll.split(","), options.clients))
    else:
        asyncio.run(main(options))
