"""The busiest reads use the indexes made for them (migration 0008), checked on the plans.

Each test runs the real store method on a migrated file, captures the SQL it sent (SQLite's
trace callback) and asks SQLite for that statement's plan. Dropping an index, or rewriting a
query so that SQLite walks every event of a server or every signature of a letter (or sorts
them all), fails here. bench/read_at_scale.py measures what these plans are worth with
50,000 events and 100,000 signatures.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.db import Database
from bot.domain.events import EventStatus, Kind, Region
from bot.stores.common import to_unix
from bot.stores.events import EventFilter, EventStore
from bot.stores.letters import SignatureStore
from bot.stores.organisations import OrganisationStore

GUILD = 900_000_000_000_000_001
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
SOUTH_MEETINGS = EventFilter(region=Region.SOUTH, kind=Kind.MEETING)
COUNTED = (
    "SEARCH events USING COVERING INDEX events_upcoming (guild_id=? AND status=? AND ends_at{}?)"
)


async def plans(db: Database, call: Callable[[], Awaitable[Any]]) -> tuple[Any, list[str]]:
    """What `call` returns, and the query plan of every statement it ran, one line per step
    (`SEARCH events USING INDEX ...`), statements joined in order."""
    seen: list[str] = []
    async with db.reading() as conn:
        await conn.set_trace_callback(seen.append)
        try:
            result = await call()
        finally:
            await conn.set_trace_callback(None)  # type: ignore[arg-type]  # sqlite3 takes None
        lines = []
        for sql in seen:
            rows = await conn.execute_fetchall("EXPLAIN QUERY PLAN " + sql)
            lines += [row[3] for row in rows]
    assert seen, "the call ran no SQL"
    return result, lines


def uses(lines: list[str], step: str) -> None:
    """`step` is one of the plan's steps, and nothing scans a table or sorts rows."""
    assert step in lines, lines
    assert not [line for line in lines if line.startswith("SCAN") or "TEMP B-TREE" in line], lines


LONGEST = "SEARCH longest USING INDEX events_by_length (guild_id=?)"


def walks_from_now(lines: list[str], index: str) -> None:
    """A walk of events not yet over: `index` from now less the server's longest event's
    length (read from its index), not from the server's first event."""
    uses(lines, f"SEARCH events USING INDEX {index} AND starts_at>?)")
    assert LONGEST in lines, lines


async def add_events(db: Database) -> None:
    """Two past, three upcoming (one cancelled, one in North Wales), in one server."""
    rows = [
        ("Swansea circle", -30, "South Wales", "meeting", "scheduled"),
        ("Cardiff café", -2, "South Wales", "meeting", "scheduled"),
        ("S. Wales Network Meeting 4", 3, "South Wales", "meeting", "scheduled"),
        ("Bangor walk", 4, "North Wales", "meeting", "scheduled"),
        ("S. Wales Network Meeting 5", 5, "South Wales", "meeting", "cancelled"),
    ]
    async with db.transaction() as conn:
        for n, (title, days, region, kind, status) in enumerate(rows):
            starts = to_unix(NOW + timedelta(days=days))
            await conn.execute(
                "INSERT INTO events (guild_id, title, starts_at, ends_at, region, kind, "
                "channel_id, message_id, status, created_by, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, 2, 0, 0)",
                (GUILD, title, starts, starts + 3600, region, kind, 100 + n, status),
            )


async def test_an_event_under_way_for_days_is_still_listed_and_found(db: Database) -> None:
    """The walk starts at now less the longest event's length: a residential started three
    days ago, ending in two, comes first; an event over by a minute does not come at all."""
    await add_events(db)
    async with db.transaction() as conn:
        for title, starts, ends in (
            ("Gregynog residential", NOW - timedelta(days=3), NOW + timedelta(days=2)),
            ("Just over", NOW - timedelta(hours=1), NOW - timedelta(minutes=1)),
        ):
            await conn.execute(
                "INSERT INTO events (guild_id, title, starts_at, ends_at, region, channel_id, "
                "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, 'Mid Wales', 1, 2, 0, 0)",
                (GUILD, title, to_unix(starts), to_unix(ends)),
            )
    store = EventStore(db)
    async with db.reading():
        page = await store.list_upcoming(GUILD, NOW, EventFilter(), limit=10)
        found = await store.search(GUILD, "", NOW, [EventStatus.SCHEDULED], 25)
        total = await store.count_upcoming(GUILD, NOW, EventFilter())
    listed = ["Gregynog residential", "S. Wales Network Meeting 4", "Bangor walk"]
    assert [e.title for e in page] == [e.title for e in found] == listed
    assert total == len(listed)


async def test_upcoming_events_are_counted_on_the_ends_at_range(db: Database) -> None:
    await add_events(db)
    store = EventStore(db)
    total, lines = await plans(db, lambda: store.count_upcoming(GUILD, NOW, SOUTH_MEETINGS))
    assert total == 1
    uses(lines, COUNTED.format(">"))


async def test_past_events_are_counted_on_the_ends_at_range(db: Database) -> None:
    await add_events(db)
    store = EventStore(db)
    total, lines = await plans(db, lambda: store.count_past(GUILD, NOW, EventFilter()))
    assert total == 2
    uses(lines, COUNTED.format("<"))


async def test_a_page_of_upcoming_events_is_read_in_order_without_sorting(db: Database) -> None:
    await add_events(db)
    store = EventStore(db)
    page, lines = await plans(
        db, lambda: store.list_upcoming(GUILD, NOW, SOUTH_MEETINGS, limit=10, offset=0)
    )
    assert [e.title for e in page] == ["S. Wales Network Meeting 4"]
    walks_from_now(lines, "events_listing (guild_id=? AND status=?")
    later, lines = await plans(
        db, lambda: store.list_upcoming(GUILD, NOW, EventFilter(), limit=1, offset=1)
    )
    assert [e.title for e in later] == ["Bangor walk"]
    walks_from_now(lines, "events_listing (guild_id=? AND status=?")


async def test_a_page_of_past_events_is_read_in_order_without_sorting(db: Database) -> None:
    await add_events(db)
    store = EventStore(db)
    page, lines = await plans(
        db, lambda: store.list_past(GUILD, NOW, EventFilter(), limit=10, offset=0)
    )
    assert [e.title for e in page] == ["Cardiff café", "Swansea circle"]
    uses(
        lines, "SEARCH events USING INDEX events_listing (guild_id=? AND status=? AND starts_at<?)"
    )


async def test_autocomplete_of_every_event_walks_the_titles_index(db: Database) -> None:
    """/events info: past and cancelled events too, soonest first."""
    await add_events(db)
    store = EventStore(db)
    since = datetime.fromtimestamp(0, UTC)
    found, lines = await plans(
        db,
        lambda: store.search(
            GUILD, "network", since, [EventStatus.SCHEDULED, EventStatus.CANCELLED], 25
        ),
    )
    assert [e.title for e in found] == ["S. Wales Network Meeting 4", "S. Wales Network Meeting 5"]
    walks_from_now(lines, "events_by_guild_titles (guild_id=?")


async def test_autocomplete_of_past_events_walks_the_titles_index_backwards(db: Database) -> None:
    """/events info, after the coming events: those over, the latest first."""
    await add_events(db)
    store = EventStore(db)
    found, lines = await plans(
        db,
        lambda: store.search_past(
            GUILD, "", NOW, [EventStatus.SCHEDULED, EventStatus.CANCELLED], 25
        ),
    )
    assert [e.title for e in found] == ["Cardiff café", "Swansea circle"]
    uses(lines, "SEARCH events USING INDEX events_by_guild_titles (guild_id=? AND starts_at<?)")


async def test_walked_indexes_hold_the_columns_their_walks_filter_on(db: Database) -> None:
    """A plan names the index but not whether a filter is answered on it: each walk above
    passes over events it rejects (every past event before the first coming one, every title
    that doesn't match), and a column missing here means a table read for each of them (the
    autocomplete took 78 ms with 50,000 events when the titles index lacked ends_at)."""
    needs = {
        "events_by_guild_titles": ["guild_id", "starts_at", "id", "ends_at", "title"],
        "events_listing": ["guild_id", "status", "starts_at", "id", "ends_at", "region", "kind"],
        "signatures_public_order": ["letter_id", "public", "signed_at", "id"],
    }
    async with db.reading() as conn:
        for index, columns in needs.items():
            rows = await conn.execute_fetchall(f"PRAGMA index_info({index})")
            held = [row[2] for row in sorted(rows, key=lambda row: row[0])]
            assert held[: len(columns)] == columns, (index, held)


async def test_autocomplete_of_open_events_walks_the_listing_index(db: Database) -> None:
    """/events edit, cancel, ...: scheduled events not yet over."""
    await add_events(db)
    store = EventStore(db)
    found, lines = await plans(
        db, lambda: store.search(GUILD, "a", NOW, [EventStatus.SCHEDULED], 25)
    )
    assert [e.title for e in found] == ["S. Wales Network Meeting 4", "Bangor walk"]
    walks_from_now(lines, "events_listing (guild_id=? AND status=?")


async def add_signatures(db: Database) -> None:
    """Letter 1: four signatures (one private, two spellings of one organisation, one none)."""
    rows = [
        (11, "Rhian Jones", "Cardiff University", "cardiff university", 1),
        (12, "Dafydd Evans", "cardiff university", "cardiff university", 1),
        (13, "Carys Price", None, None, 0),
        (14, "Gareth Owen", "Tai Pawb", "tai pawb", 1),
    ]
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO letters (id, guild_id, title, addressee, body, channel_id, created_by, "
            "created_at, updated_at) VALUES (1, ?, 'Open letter', 'The First Minister', 'We ask', "
            "1, 2, 0, 0)",
            (GUILD,),
        )
        organisations = OrganisationStore(db)
        for n, (user_id, name, organisation, key, public) in enumerate(rows):
            record = await organisations.resolve(GUILD, organisation, NOW) if organisation else None
            await conn.execute(
                "INSERT INTO signatures (letter_id, user_id, name, organisation, organisation_key, "
                "public, signed_at, updated_at, organisation_id) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    user_id,
                    name,
                    organisation,
                    key,
                    public,
                    1000 + n,
                    1000 + n,
                    record and record.id,
                ),
            )


async def test_a_letters_tally_is_read_from_the_index_alone(db: Database) -> None:
    await add_signatures(db)
    tally, lines = await plans(db, lambda: SignatureStore(db).tally(1))
    assert (tally.signatures, tally.organisations, tally.listed) == (4, 2, 3)
    assert (
        "SEARCH signatures USING COVERING INDEX signatures_by_letter_organisation (letter_id=?)"
        in lines
    ), lines
    assert not [line for line in lines if line.startswith("SCAN")], lines


async def test_a_page_of_signatures_is_found_on_the_index_before_the_join(db: Database) -> None:
    """The OFFSET walks the index alone (no sort, no join of the rows skipped); the page's
    organisations are read by id after."""
    await add_signatures(db)
    page, lines = await plans(db, lambda: SignatureStore(db).public_page(1, limit=2, offset=1))
    assert [s.name for s in page] == ["Dafydd Evans", "Gareth Owen"]
    uses(lines, "SEARCH signatures USING INDEX signatures_public_order (letter_id=? AND public=?)")


async def test_host_autocomplete_reads_the_hosts_index(db: Database) -> None:
    """/events create's `host`: hosts already used here, the most recent first."""
    async with db.transaction() as conn:
        for n, (host, days) in enumerate(
            [("United Welsh Housing", -40), ("Tai Tarian", -3), ("united welsh  housing", 2)]
        ):
            starts = to_unix(NOW + timedelta(days=days))
            await conn.execute(
                "INSERT INTO events (guild_id, title, starts_at, ends_at, host, channel_id, "
                "message_id, created_by, created_at, updated_at) "
                "VALUES (?, 'Meeting', ?, ?, ?, 1, ?, 2, 0, 0)",
                (GUILD, starts, starts + 3600, host, 200 + n),
            )
    store = EventStore(db)
    found, lines = await plans(db, lambda: store.hosts(GUILD, "", 25))
    assert found == ["united welsh  housing", "Tai Tarian", "United Welsh Housing"]
    assert "SEARCH events USING COVERING INDEX events_hosts (guild_id=? AND host>?)" in lines
    assert not [line for line in lines if line.startswith("SCAN")], lines
