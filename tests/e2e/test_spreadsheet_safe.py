"""Spreadsheet-safe exports (issue 15): no cell of the attendees CSV (/events attendees) or of
a letter's CSV (/letter export format:csv) can start a formula, whichever separator a
spreadsheet opens the file with (`,` or `;` by locale, or tab) and wherever in the cell the
member's text put one."""

from __future__ import annotations

import csv
import io
import unicodedata
from typing import Any

import pytest

from tests.e2e.conftest import CoproWorld
from tests.fakediscord import Driver, FakeDiscord
from tests.support.dates import at_local, typed
from tests.support.fakes import FakeClock

SEPARATORS = [",", ";", "\t"]
# What makes a spreadsheet read a cell as a formula: = + - @ (and their full-width and small
# forms, which fold to them), or a tab or line break first; spaces and quotes before them
# are skipped by some spreadsheets.
FORMULA = frozenset("=+-@\t\r\n")
SKIPPED = " \u00a0\"'"

HOSTILE = [
    "x;=1+1",
    "Rhys, -2+3",
    "＝HYPERLINK(1)",
    " @SUM(A1)",
    "Cardiff; \"=cmd|' /C calc'!A0\"",
    "+44 29 2000 0000",
]


def formula_cells(data: bytes) -> list[str]:
    """Every cell, read with each separator, that a spreadsheet would run as a formula."""
    found = []
    document = data.decode("utf-8-sig")
    for separator in SEPARATORS:
        for row in csv.reader(io.StringIO(document, newline=""), delimiter=separator):
            for cell in row:
                if cell.startswith("'"):
                    continue  # an apostrophe first: the rest is text
                first = next((c for c in cell if c not in SKIPPED), "")
                if cell[:1] in FORMULA or unicodedata.normalize("NFKC", first) in FORMULA:
                    found.append(f"{separator!r}: {cell!r}")
    return found


@pytest.fixture
async def ready(bot_app: Any, driver: Driver, world: CoproWorld) -> Any:
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    return bot_app


async def test_attendees_csv_has_no_formula_cell_whatever_the_separator(
    ready: Any, driver: Driver, world: CoproWorld, discord_server: FakeDiscord, clock: FakeClock
) -> None:
    title = "Spreadsheet check"
    await driver.slash(
        world.organiser,
        "events create",
        options={"when": typed(at_local(clock(), days=5)), "title": title},
    )
    [post] = [m for m in driver.messages(world.announcements) if m.embeds]
    members = [
        discord_server.add_member(world.guild, f"member {n}", nick=name, roles=[world.members])
        for n, name in enumerate(HOSTILE)
    ]
    for member in members:
        await driver.react(member, post, "✅")
    going = f"✅ {len(members)} going"
    await driver.wait_for(lambda: any(going in f["value"] for f in post.embeds[0]["fields"]))

    reply = await driver.slash(world.organiser, "events attendees", event=title)
    [(name, data)] = reply.files.items()
    assert name.endswith(".csv")
    assert formula_cells(data) == []
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    shown = {row[3] for row in rows[1:]}
    # Each name is still there to read, only made inert.
    assert {cell.replace("'", "") for cell in shown} == {n.replace("'", "") for n in HOSTILE}


async def test_letter_csv_has_no_formula_cell_whatever_the_separator(
    ready: Any, driver: Driver, world: CoproWorld, discord_server: FakeDiscord
) -> None:
    letter_title = "Spreadsheet letter"
    await driver.slash(
        world.organiser,
        "letter create",
        title=letter_title,
        addressee="The Senedd",
        body="We ask for co-production.",
    )
    for n, hostile in enumerate(HOSTILE):
        member = discord_server.add_member(world.guild, f"signer {n}", roles=[world.members])
        await driver.slash(
            member,
            "letter sign",
            letter=letter_title,
            name=hostile,
            organisation=HOSTILE[-1 - n],
        )

    reply = await driver.slash(world.organiser, "letter export", letter=letter_title, format="csv")
    data = next(d for n, d in reply.files.items() if n.endswith(".csv"))
    assert formula_cells(data) == []
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 1 + len(HOSTILE)
