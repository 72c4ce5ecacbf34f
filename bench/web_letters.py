"""Web (issue 17): a letter's public page with 100,000 signatures under concurrent clients.

    .venv/bin/python -m bench.web_letters [--signatures 100000] [--clients 50] [--requests 20]
        [--runs 3]

Each run makes a fresh SQLite file holding one letter with `--signatures` signatures (one in
nine private, 400 organisations in two spellings each, a tenth signing for themselves) and
starts the bot's real web app (bot/web: `make_app` over the real `LetterService`, served by
`WebServer` on a free port of 127.0.0.1) in ITS OWN process, so the clients here do not share
its event loop. Then, from this process:

* cold: the first page once, nothing built yet (the letter's tally and its first 500 names
  read, grouped and rendered), then the last page once;
* page: `--clients` clients at once, each sending `--requests` GETs one after another, half
  of them for the first page and half for the last; each latency is from sending the request
  to the last byte;
* moving: the same while a writer in the server's process adds a signature every 50 ms (as
  a signing burst does), so kept pages go stale and are built again all the time;
* data: the `.json` and `.csv` once each (every public signatory), cold.

Printed per run: p50 / p99 / max of each phase and the target (page p99 < 100 ms). Medians
over runs at the end.
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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp

from bench.records import INSERT_NAME, INSERT_ORGANISATION, Records
from bench.web_feeds import percentile, phase

ROOT = str(Path(__file__).resolve().parents[1])
GUILD = 1_000_001
WRITER_GAP_S = 0.05


async def fill(path: Path, count: int) -> str:
    """A database with one letter of `count` signatures; returns the letter's slug."""
    from bot.db import Database

    db = await Database.open(path)
    await db.migrate()
    now = int(datetime.now(UTC).timestamp())
    rows = []
    for i in range(count):
        org = None if i % 10 == 9 else f"Housing Association {i % 400}"
        if org is not None and i % 3 == 0:
            org = org.upper()
        at = now - count + i
        rows.append(
            (1, 10_000 + i, f"Signatory {i}", org, org and org.casefold(), int(i % 9 != 0), at, at)
        )
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO letters (id, guild_id, title, addressee, body, channel_id, "
            "created_by, created_at, updated_at) VALUES (1, ?, 'Open letter to the First "
            "Minister', 'The First Minister of Wales', 'We ask that co-production is placed "
            "at the heart of Welsh public services.', 1, 1, ?, ?)",
            (GUILD, now, now),
        )
        records = Records(GUILD, (row[3] for row in rows), now)
        await conn.executemany(INSERT_ORGANISATION, records.organisations)
        await conn.executemany(INSERT_NAME, records.names)
        await conn.executemany(
            "INSERT INTO signatures (letter_id, user_id, name, organisation, organisation_key, "
            "public, signed_at, updated_at, organisation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(*row, records.id_of[row[3]]) for row in rows],
        )
    async with db.reading() as conn:
        [(slug,)] = await conn.execute_fetchall("SELECT slug FROM letters WHERE id = 1")
    await db.close()
    return str(slug)


class NoPoster:
    async def publish(self, *args: Any) -> int:
        raise AssertionError("the bench posts nothing")

    async def refresh(self, *args: Any) -> bool:
        return True

    async def celebrate(self, *args: Any) -> None:
        return None

    async def withdraw(self, *args: Any) -> None:
        return None


class NoTouch:
    def touch(self, *args: Any) -> None:
        return None


async def serve(path: Path) -> None:
    """The child: the web app over this database until SIGTERM; prints its port. SIGUSR1
    starts a writer signing every WRITER_GAP_S, SIGUSR2 stops it."""
    from bot.clock import system_clock
    from bot.db import Database
    from bot.services.guilds import GuildService
    from bot.services.letters import LetterService
    from bot.web.app import WebContext, make_app
    from bot.web.server import WebServer, bind_socket

    db = await Database.open(path)
    guilds = GuildService(db, system_clock, None)  # type: ignore[arg-type]  # no digests here
    letters = LetterService(db, system_clock, guilds, NoPoster(), NoTouch(), None)  # type: ignore[arg-type]
    context = WebContext(clock=system_clock, public_url="http://localhost", letters=letters)
    server = WebServer(make_app(context), bind_socket("127.0.0.1", 0))
    await server.start()
    print(server.port, flush=True)
    writing: list[asyncio.Task[None]] = []

    async def writer() -> None:
        user = 5_000_000
        while True:
            user += 1
            await letters.sign(GUILD, user, 1, name=f"Late {user}", organisation=None, public=True)
            await asyncio.sleep(WRITER_GAP_S)

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGUSR1, lambda: writing.append(loop.create_task(writer())))
    loop.add_signal_handler(signal.SIGUSR2, lambda: [task.cancel() for task in writing])
    await stop.wait()
    await server.stop()
    await db.close()


async def timed(session: aiohttp.ClientSession, url: str) -> float:
    started = time.perf_counter()
    async with session.get(url) as response:
        await response.read()
        assert response.status == 200, response.status
    return time.perf_counter() - started


async def pages_phase(
    session: aiohttp.ClientSession, base: str, page: int, clients: int, requests: int
) -> list[float]:
    """Half the clients on the first page, half on page `page`."""
    first, last = await asyncio.gather(
        phase(session, base, clients // 2, requests, {}),
        phase(session, f"{base}?page={page}", clients - clients // 2, requests, {}),
    )
    assert first[1] == {200} and last[1] == {200}, (first[1], last[1])
    return first[0] + last[0]


async def one_run(args: argparse.Namespace) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        slug = await fill(path, args.signatures)
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.web_letters",
            "--serve",
            str(path),
            stdout=asyncio.subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": ROOT},
        )
        try:
            assert child.stdout is not None
            port = int(await child.stdout.readline())
            base = f"http://127.0.0.1:{port}/letters/{slug}"
            listed = args.signatures - -(-args.signatures // 9)
            last = -(-listed // 500)
            connector = aiohttp.TCPConnector(limit=args.clients)
            async with aiohttp.ClientSession(connector=connector) as session:
                cold = await timed(session, base)
                cold_last = await timed(session, f"{base}?page={last}")
                page = await pages_phase(session, base, last, args.clients, args.requests)
                child.send_signal(signal.SIGUSR1)
                moving = await pages_phase(session, base, last, args.clients, args.requests)
                child.send_signal(signal.SIGUSR2)
                data_json = await timed(session, base + ".json")
                data_csv = await timed(session, base + ".csv")
        finally:
            child.send_signal(signal.SIGTERM)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(child.wait(), 10)
    figures = {
        "cold_ms": cold * 1000,
        "cold_last_ms": cold_last * 1000,
        "page_p50_ms": percentile(page, 0.5) * 1000,
        "page_p99_ms": percentile(page, 0.99) * 1000,
        "page_max_ms": max(page) * 1000,
        "moving_p50_ms": percentile(moving, 0.5) * 1000,
        "moving_p99_ms": percentile(moving, 0.99) * 1000,
        "moving_max_ms": max(moving) * 1000,
        "json_s": data_json,
        "csv_s": data_csv,
    }
    print(
        f"cold {figures['cold_ms']:.0f} / last page {figures['cold_last_ms']:.0f} ms | "
        f"page p50 {figures['page_p50_ms']:.1f} p99 {figures['page_p99_ms']:.1f} max "
        f"{figures['page_max_ms']:.1f} ms (target p99 < 100) | while signing p50 "
        f"{figures['moving_p50_ms']:.1f} p99 {figures['moving_p99_ms']:.1f} max "
        f"{figures['moving_max_ms']:.1f} ms | json {data_json:.2f} s, csv {data_csv:.2f} s",
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
    parser.add_argument("--signatures", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


if __name__ == "__main__":
    options: Any = parse()
    if options.serve:
        asyncio.run(serve(options.serve))
    else:
        asyncio.run(main(options))
