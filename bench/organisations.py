"""Organisations (issue 19): matching and autocomplete at size, and one big merge.

    .venv/bin/python -m bench.organisations [--runs 5] [--organisations 2000]
        [--signatures 100000] [--merge-each 10000]

Each run builds a fresh migrated SQLite file: `--organisations` records (each with a Welsh
name for one in three and two aliases), `--signatures` signatures spread over 20 letters and
the records, and 2,000 network members. Then, through the bot's own store and services:

* matching: `OrganisationStore.resolve` of 1,000 typed names (known spellings with other
  case, spacing and punctuation, and some new ones that are added), each in its own write
  transaction, as /network join and /letter sign do; p50 and p99;
* autocomplete: `OrganisationService.suggest` for 1,000 typed prefixes (1-6 characters);
* merge: two records holding `--merge-each` signatures each are merged with
  `OrganisationService.merge`; its time, and that afterwards every letter's
  "M organisations" equals the count of distinct records among its signatures (exact).

Medians over the runs are printed at the end. Targets: p99 < 25 ms; merge < 1 s, exact.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.db import Database
from bot.domain.guilds import Actor
from bot.domain.letters import org_key
from bot.domain.organisations import match_key
from bot.services.organisations import OrganisationService
from bot.stores.letters import SignatureStore
from bot.stores.organisations import OrganisationStore

GUILD = 1
WORDS = "Cyngor Tai Cymru Caerdydd Abertawe Gwent Powys Dyfed Housing Trust Network Care".split()


class _Guilds:
    async def settings(self, guild_id: int) -> object:
        raise NotImplementedError

    async def require_organiser(self, guild_id: int, actor: Actor) -> object:
        return None


class _Touch:
    def __init__(self) -> None:
        self.touched: list[int] = []

    def touch(self, kind: str, item_id: int, channel_id: int, message_id: int | None) -> None:
        self.touched.append(item_id)


def _name(n: int) -> str:
    rng = random.Random(n)
    return f"{' '.join(rng.sample(WORDS, 3))} {n}"


async def _build(db: Database, orgs: int, signatures: int, merge_each: int) -> list[str]:
    now = int(datetime.now(UTC).timestamp())
    names = [_name(n) for n in range(orgs)]
    async with db.transaction() as conn:
        for n, name in enumerate(names, start=1):
            welsh = f"{name} (cy)" if n % 3 == 0 else None
            await conn.execute(
                "INSERT INTO organisations (id, guild_id, name, welsh_name, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                (n, GUILD, name, welsh, now, now),
            )
            spellings = [(name, "name"), (f"{name} Ltd", "alias"), (f"The {name}", "alias")]
            if welsh:
                spellings.append((welsh, "welsh"))
            await conn.executemany(
                "INSERT INTO organisation_names (guild_id, key, organisation_id, kind, spelling) "
                "VALUES (?, ?, ?, ?, ?)",
                [(GUILD, match_key(s), n, kind, s) for s, kind in spellings],
            )
        for letter in range(1, 21):
            await conn.execute(
                "INSERT INTO letters (id, guild_id, title, addressee, body, channel_id, "
                "message_id, created_by, created_at, updated_at) "
                "VALUES (?, ?, 'Letter', 'Minister', 'Text', 1, ?, 1, ?, ?)",
                (letter, GUILD, 1000 + letter, now, now),
            )
        rows = []
        rng = random.Random(7)
        for n in range(signatures):
            if n < 2 * merge_each:  # the two records to merge: 1 and 2
                org = 1 if n < merge_each else 2
            else:
                org = rng.randint(3, orgs)
            name = names[org - 1]
            rows.append((n % 20 + 1, n + 1, f"Signer {n}", name, org_key(name), org, now + n))
        await conn.executemany(
            "INSERT INTO signatures (letter_id, user_id, name, organisation, organisation_key, "
            "organisation_id, signed_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(*r, r[-1]) for r in rows],
        )
        await conn.executemany(
            "INSERT INTO network_members (guild_id, user_id, organisation, organisation_key, "
            "organisation_id, joined_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (GUILD, u, names[u % orgs], org_key(names[u % orgs]), u % orgs + 1, now, now)
                for u in range(1, 2001)
            ],
        )
    return names


def _typed(names: list[str], rng: random.Random, n: int) -> str:
    if n % 10 == 0:
        return f"New Body {n} {rng.random():.6f}"
    name = rng.choice(names)
    return rng.choice([name.upper(), name.lower().replace(" ", "  "), name.replace(" ", "-") + "."])


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def run(orgs: int, signatures: int, merge_each: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "bench.sqlite3")
        try:
            await db.migrate()
            names = await _build(db, orgs, signatures, merge_each)
            store = OrganisationStore(db)
            clock = lambda: datetime.now(UTC)  # noqa: E731
            service = OrganisationService(db, clock, _Guilds(), _Touch())  # type: ignore[arg-type]
            rng = random.Random(11)
            matching = []
            for n in range(1000):
                typed = _typed(names, rng, n)
                started = time.perf_counter()
                async with db.transaction():
                    await store.resolve(GUILD, typed, datetime.now(UTC))
                matching.append(time.perf_counter() - started)
            suggesting = []
            for _ in range(1000):
                prefix = rng.choice(names)[: rng.randint(1, 6)]
                started = time.perf_counter()
                await service.suggest(GUILD, prefix)
                suggesting.append(time.perf_counter() - started)
            actor = Actor.of(1, [], manage_guild=True)
            started = time.perf_counter()
            merged = await service.merge(GUILD, actor, 2, 1)
            merge_s = time.perf_counter() - started
            async with db.reading() as conn:
                tallies = await SignatureStore(db).tallies(list(range(1, 21)))
                rows = await conn.execute_fetchall(
                    "SELECT letter_id, count(DISTINCT organisation_id) FROM signatures "
                    "GROUP BY letter_id"
                )
                truth: dict[int, int] = {int(row[0]): int(row[1]) for row in rows}
            exact = all(tallies[k].organisations == truth[k] for k in truth)
            exact = exact and merged.signatures == merge_each
        finally:
            await db.close()
    return {
        "match_p50_ms": _p(matching, 0.5),
        "match_p99_ms": _p(matching, 0.99),
        "suggest_p50_ms": _p(suggesting, 0.5),
        "suggest_p99_ms": _p(suggesting, 0.99),
        "merge_s": merge_s,
        "exact": float(exact),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--organisations", type=int, default=2000)
    parser.add_argument("--signatures", type=int, default=100_000)
    parser.add_argument("--merge-each", type=int, default=10_000)
    args = parser.parse_args()
    results = []
    for number in range(1, args.runs + 1):
        figures = asyncio.run(run(args.organisations, args.signatures, args.merge_each))
        results.append(figures)
        print(f"run {number}: " + ", ".join(f"{k}={v:.2f}" for k, v in figures.items()))
    print(
        "median: "
        + ", ".join(f"{k}={statistics.median(r[k] for r in results):.2f}" for k in results[0])
    )
    print(f"exact in every run: {all(r['exact'] == 1.0 for r in results)}")


if __name__ == "__main__":
    main()
