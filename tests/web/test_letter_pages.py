"""A letter's public page and its .json and .csv, through aiohttp's test client over the real
LetterService and a real SQLite file: the page shows what /letter signatures shows, private
signers are counted and never named, member text is escaped, `web:False` takes it down."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections import Counter
from datetime import UTC, datetime

import pytest
from aiohttp.test_utils import TestClient

from bot.domain.guilds import Actor
from bot.domain.letters import SIGNATURES_PAGE_SIZE, WEB_SIGNATURES_PAGE_SIZE, Letter
from bot.render.letters import letter_page_url, tally_line
from bot.services.letters import LetterInput, LetterService
from bot.web.letters import shown_time
from tests.conftest import GUILD
from tests.services.test_letters import create
from tests.support.dates import LONDON
from tests.support.fakes import FakeClock
from tests.web.letters_support import HOSTILE_NAMES, PUBLIC_URL, read_page, sign_many

pytest_plugins = ["tests.web.letters_fixtures"]  # its fixtures: letter_service, letter_web

pytestmark = pytest.mark.usefixtures("configured")

Client = TestClient  # type: ignore[type-arg]
ORGANISATIONS = ("Cardiff University", "cardiff  UNIVERSITY", "Tai Pawb", None, "Mind Cymru")


def path_of(letter: Letter, suffix: str = "") -> str:
    url = letter_page_url(PUBLIC_URL, letter, suffix)
    assert url is not None
    return url.removeprefix(PUBLIC_URL)


async def burst(letters: LetterService, letter: Letter, count: int, *, private_every: int = 7):
    """`count` members sign at once; every `private_every`-th keeps their name private."""
    signers = [
        (
            10_000 + n,
            f"Hidden {n}" if n % private_every == 0 else f"Signer {n}",
            ORGANISATIONS[n % len(ORGANISATIONS)],
            n % private_every != 0,
        )
        for n in range(count)
    ]
    await sign_many(letters, letter, signers)


async def test_page_matches_letter_signatures_after_a_burst(
    letter_service: LetterService, letter_web: Client, organiser: Actor
) -> None:
    letter = await create(letter_service, organiser)
    await burst(letter_service, letter, 1200)
    first = await letter_service.signatures_page(GUILD, letter.id, 0)
    discord_pages = [
        await letter_service.signatures_page(GUILD, letter.id, number)
        for number in range(first.pages)
    ]
    per_web_page = WEB_SIGNATURES_PAGE_SIZE // SIGNATURES_PAGE_SIZE
    web_pages = -(-len(discord_pages) // per_web_page)
    assert web_pages == 3  # 1200 signed, 1028 listed: 500 + 500 + 28
    seen: list[str] = []
    for web_page in range(web_pages):
        query = "" if web_page == 0 else f"?page={web_page + 1}"
        response = await letter_web.get(path_of(letter) + query)
        assert response.status == 200
        page = read_page(await response.text())
        chunk = discord_pages[web_page * per_web_page : (web_page + 1) * per_web_page]
        expected = [s.name for shown in chunk for s in shown.signatures]
        assert Counter(page.names()) == Counter(expected)  # the very same signatories
        assert tally_line(first.tally) in page.text_of("strong")
        seen += page.names()
    assert len(seen) == len(set(seen)) == first.tally.listed == 1028
    assert first.tally.signatures == 1200
    beyond = await letter_web.get(path_of(letter) + f"?page={web_pages + 1}")
    assert beyond.status == 404


async def test_signatories_grouped_by_organisation_and_private_ones_only_counted(
    letter_service: LetterService, letter_web: Client, organiser: Actor
) -> None:
    letter = await create(letter_service, organiser)
    await burst(letter_service, letter, 30)
    response = await letter_web.get(path_of(letter))
    html = await response.text()
    page = read_page(html)
    groups = dict(page.groups())
    # Spelling variants of one organisation are one group (shown in one of its spellings).
    assert sorted(" ".join(name.casefold().split()) for name in groups) == [
        "cardiff university",
        "mind cymru",
        "signing for themselves",
        "tai pawb",
    ]
    assert sorted(groups["Tai Pawb"]) == sorted(
        f"Signer {n}" for n in range(30) if n % 5 == 2 and n % 7
    )
    assert "Hidden" not in html
    tally = (await letter_service.info(letter)).tally
    assert tally.signatures == 30 and tally.listed == 30 - 5
    assert tally_line(tally) in page.text_of("strong")
    assert "5 more signed without their names shown" in html
    for suffix in (".json", ".csv"):
        data = await (await letter_web.get(path_of(letter, suffix))).text()
        assert "Hidden" not in data
        assert "Signer 29" in data


async def test_taken_down_with_web_false_and_back_with_web_true(
    letter_service: LetterService, letter_web: Client, organiser: Actor
) -> None:
    letter = await create(letter_service, organiser)
    unknown = await letter_web.get("/letters/" + "x" * 22)
    assert unknown.status == 404
    edited = await letter_service.edit(GUILD, organiser, letter, LetterInput(web=False))
    assert edited.changes == ("web",) and not edited.letter.web
    assert letter_page_url(PUBLIC_URL, edited.letter) is None  # no link handed out
    for suffix in ("", ".json", ".csv"):
        down = await letter_web.get(path_of(letter, suffix))
        assert down.status == 404
        assert await down.text() == await unknown.text()  # not told apart from unknown
    back = await letter_service.edit(GUILD, organiser, edited.letter, LetterInput(web=True))
    assert back.letter.web and back.letter.slug == letter.slug  # the same address again
    for suffix in ("", ".json", ".csv"):
        assert (await letter_web.get(path_of(letter, suffix))).status == 200
    again = await letter_service.edit(GUILD, organiser, back.letter, LetterInput(web=True))
    assert again.changes == ()  # already up: nothing changed


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "01", "99", "١", "99999999999"])
async def test_a_page_that_is_not_there_is_404(
    letter_service: LetterService, letter_web: Client, organiser: Actor, page: str
) -> None:
    letter = await create(letter_service, organiser)
    await burst(letter_service, letter, 3)
    response = await letter_web.get(path_of(letter), params={"page": page})
    assert response.status == 404


async def test_first_page_and_tracking_parameters(
    letter_service: LetterService, letter_web: Client, organiser: Actor
) -> None:
    letter = await create(letter_service, organiser)
    await burst(letter_service, letter, 3)
    plain = await (await letter_web.get(path_of(letter))).text()
    assert await (await letter_web.get(path_of(letter) + "?page=1")).text() == plain
    shared = await letter_web.get(path_of(letter) + "?utm_source=x&fbclid=y")
    assert shared.status == 200 and await shared.text() == plain


async def test_page_shows_the_letter_with_open_graph_tags(
    letter_service: LetterService, letter_web: Client, organiser: Actor, clock: FakeClock
) -> None:
    body = "Dear First Minister,\n\nWe ask three things.\nFirst, listen."
    letter = await create(letter_service, organiser, body=body)
    await burst(letter_service, letter, 4)
    response = await letter_web.get(path_of(letter))
    assert response.status == 200
    assert response.content_type == "text/html" and response.charset == "utf-8"
    assert response.headers["Cache-Control"] == "public, max-age=60"
    html = await response.text()
    page = read_page(html)
    tally = (await letter_service.info(letter)).tally
    assert page.lang == "en"
    assert page.tags.count("h1") == 1
    assert {"header", "main", "footer", "article", "section"} <= set(page.tags)
    assert "script" not in page.tags
    assert page.text_of("h1") == [letter.title]
    assert page.text_of("title") == [f"{letter.title} — open letter"]
    assert page.metas["og:type"] == "article"
    assert page.metas["og:title"] == letter.title
    assert page.metas["og:url"] == f"{PUBLIC_URL}/letters/{letter.slug}"
    assert page.metas["og:description"] == f"{tally_line(tally)}. To: {letter.addressee}."
    assert page.metas["viewport"].startswith("width=device-width")
    assert page.text_of("div", "letter-text") == [body]  # line breaks kept, as typed
    assert any(letter.addressee in text for text in page.text_of("p", "letter-to"))
    assert letter.closes_at is not None
    closes = letter.closes_at.astimezone(LONDON)  # the server's zone, GMT or BST
    assert page.text_of("p", "letter-state") == [
        f"Open for signing until {closes.day} {closes:%B %Y, %H:%M %Z}"
    ]
    assert any(text.startswith("Last changed ") for text in page.text_of("time"))
    assert f"{letter.slug}.json" in page.links and f"{letter.slug}.csv" in page.links


async def test_closed_letter_says_so(
    letter_service: LetterService, letter_web: Client, organiser: Actor
) -> None:
    letter = await create(letter_service, organiser)
    closed = await letter_service.close(GUILD, organiser, letter.id)
    page = read_page(await (await letter_web.get(path_of(letter))).text())
    assert closed.letter.closed_at is not None
    at = closed.letter.closed_at.astimezone(LONDON)
    assert page.text_of("p", "letter-state") == [f"Signing closed {at.day} {at:%B %Y, %H:%M %Z}"]
    assert "Nobody is listed publicly yet." in page.text_of("p")
    data = await (await letter_web.get(path_of(letter, ".json"))).json()
    assert data["open"] is False and data["closed_at"] is not None


async def test_hostile_names_are_shown_as_text(
    letter_service: LetterService, letter_web: Client, organiser: Actor
) -> None:
    letter = await create(
        letter_service,
        organiser,
        title='Letter "><script>document.title="owned"</script>',
        addressee="<b>The Minister</b>",
    )
    signers = [
        (20_001, HOSTILE_NAMES[0], HOSTILE_NAMES[1], True),
        (20_002, HOSTILE_NAMES[1], None, True),
        (20_003, "Plain", "<i>Org</i>", True),
    ]
    await sign_many(letter_service, letter, signers)
    html = await (await letter_web.get(path_of(letter))).text()
    for hostile in (*HOSTILE_NAMES, "<b>The Minister</b>", "<i>Org</i>", '"owned"</script>'):
        assert hostile not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    page = read_page(html)
    assert "script" not in page.tags and "img" not in page.tags and "b" not in page.tags
    assert set(page.names()) == {HOSTILE_NAMES[0], HOSTILE_NAMES[1], "Plain"}  # as typed
    assert dict(page.groups())[HOSTILE_NAMES[1]] == [HOSTILE_NAMES[0]]
    assert page.metas["og:title"] == letter.title
    data = await (await letter_web.get(path_of(letter, ".json"))).json()
    assert data["title"] == letter.title
    assert {s["name"] for s in data["signatories"]} == {*HOSTILE_NAMES, "Plain"}


async def test_json_holds_the_public_data(
    letter_service: LetterService, letter_web: Client, organiser: Actor
) -> None:
    letter = await create(letter_service, organiser)
    await burst(letter_service, letter, 50)
    response = await letter_web.get(path_of(letter, ".json"))
    assert response.status == 200
    assert response.content_type == "application/json" and response.charset == "utf-8"
    data = json.loads(await response.read())
    public = await letter_service.public_data(letter.slug)
    assert public is not None
    assert data["title"] == letter.title
    assert data["addressee"] == letter.addressee
    assert data["text"] == letter.body
    assert data["open"] is True
    assert data["url"] == f"{PUBLIC_URL}/letters/{letter.slug}"
    assert data["closes_at"] == letter.closes_at.isoformat().replace("+00:00", "Z")  # type: ignore[union-attr]
    assert data["counts"] == {
        "signatures": 50,
        "organisations": 3,
        "listed": 42,
        "sentence": "50 signatures from 3 organisations",
    }
    assert data["signatories"] == [
        {"name": s.name, "organisation": s.organisation} for s in public.signatures
    ]
    assert len(data["signatories"]) == 42
    assert set(data) == {
        "title", "addressee", "text", "updated", "text_changed", "open", "closes_at",
        "closed_at", "url", "counts", "signatories",
    }  # fmt: skip


async def test_csv_is_an_attachment_no_spreadsheet_runs(
    letter_service: LetterService, letter_web: Client, organiser: Actor
) -> None:
    letter = await create(letter_service, organiser)
    signers = [
        (30_001, '=HYPERLINK("http://x")', "+Org", True),
        (30_002, "@SUM(A1)", None, True),
        (30_003, "Ann, Jones", "-1; =cmd", True),
        (30_004, "Secret", None, False),
    ]
    await sign_many(letter_service, letter, signers)
    response = await letter_web.get(path_of(letter, ".csv"))
    assert response.status == 200
    assert response.content_type == "text/csv" and response.charset == "utf-8"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="open-letter-to-the-first-minister-{letter.id}.csv"'
    )
    raw = await response.read()
    assert raw.startswith("\ufeff".encode())  # spreadsheets read it as UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["organisation", "name", "signed_at_utc"]
    cells = [cell for row in rows[1:] for cell in row[:2]]
    assert "Secret" not in cells
    assert sorted(row[1] for row in rows[1:]) == sorted(
        ['\'=HYPERLINK("http://x")', "'@SUM(A1)", "Ann, Jones"]
    )
    for cell in cells:
        assert cell[:1] not in ("=", "+", "-", "@")


async def test_etag_304_and_head(
    letter_service: LetterService, letter_web: Client, organiser: Actor
) -> None:
    letter = await create(letter_service, organiser)
    await burst(letter_service, letter, 3)
    for suffix in ("", ".json", ".csv"):
        first = await letter_web.get(path_of(letter, suffix))
        etag = first.headers["ETag"]
        again = await letter_web.get(path_of(letter, suffix), headers={"If-None-Match": etag})
        assert again.status == 304 and await again.read() == b""
        head = await letter_web.head(path_of(letter, suffix))
        assert head.status == 200 and head.headers["ETag"] == etag
    before = (await letter_web.get(path_of(letter))).headers["ETag"]
    await burst(letter_service, letter, 4)  # the same three again, and one more
    changed = await letter_web.get(path_of(letter), headers={"If-None-Match": before})
    assert changed.status == 200 and changed.headers["ETag"] != before


async def test_other_methods_are_refused(
    letter_service: LetterService, letter_web: Client, organiser: Actor
) -> None:
    letter = await create(letter_service, organiser)
    response = await letter_web.post(path_of(letter))
    assert response.status == 405


async def test_downloads_at_once_share_one_build(
    letter_service: LetterService,
    letter_web: Client,
    organiser: Actor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    letter = await create(letter_service, organiser)
    await burst(letter_service, letter, 10)
    reads: list[str] = []
    read = letter_service.public_data

    async def slow_read(slug: str):  # type: ignore[no-untyped-def]
        reads.append(slug)
        await asyncio.sleep(0.3)  # a large letter's build: the other requests arrive meanwhile
        return await read(slug)

    monkeypatch.setattr(letter_service, "public_data", slow_read)
    answers = await asyncio.gather(
        *(letter_web.get(path_of(letter, ".json")) for _ in range(5)),
        *(letter_web.get(path_of(letter, ".csv")) for _ in range(5)),
    )
    bodies = [await answer.read() for answer in answers]
    assert all(answer.status == 200 for answer in answers)
    assert len(set(bodies[:5])) == 1 and len(set(bodies[5:])) == 1
    assert reads == [letter.slug, letter.slug]  # one build of each, one after the other
    kept = await letter_web.get(path_of(letter, ".json"))
    assert await kept.read() == bodies[0] and len(reads) == 2  # nothing changed: kept
    await sign_many(letter_service, letter, [(99_999, "Late Signer", None, True)])
    building = asyncio.ensure_future(letter_web.get(path_of(letter, ".json")))
    await asyncio.sleep(0.1)
    meanwhile = await letter_web.get(path_of(letter, ".json"))  # while it is being built
    assert await meanwhile.read() == bodies[0]  # the last one built, at once
    fresh = await building
    assert "Late Signer" in await fresh.text() and len(reads) == 3  # built anew, once
    again = await letter_web.get(path_of(letter, ".json"))
    assert await again.read() == await fresh.read()


async def test_a_kept_page_follows_every_change(
    letter_service: LetterService,
    letter_web: Client,
    organiser: Actor,
    clock: FakeClock,
) -> None:
    letter = await create(letter_service, organiser)
    await burst(letter_service, letter, 3)

    async def names() -> list[str]:
        return read_page(await (await letter_web.get(path_of(letter))).text()).names()

    assert sorted(await names()) == ["Signer 1", "Signer 2"]
    assert sorted(await names()) == ["Signer 1", "Signer 2"]  # kept
    await letter_service.sign(
        GUILD, 10_001, letter.id, name="Renamed", organisation=None, public=None
    )
    assert sorted(await names()) == ["Renamed", "Signer 2"]  # a re-signature, same count
    await letter_service.withdraw(GUILD, 10_002, letter.id)
    assert await names() == ["Renamed"]
    await letter_service.edit(GUILD, organiser, letter, LetterInput(title="A new title"))
    page = read_page(await (await letter_web.get(path_of(letter))).text())
    assert page.text_of("h1") == ["A new title"]
    assert letter.closes_at is not None
    clock.set(letter.closes_at)  # its closing time passes before its job has run
    page = read_page(await (await letter_web.get(path_of(letter))).text())
    assert page.text_of("p", "letter-state")[0].startswith("Signing closed")


def test_times_are_given_in_the_servers_zone_with_its_abbreviation() -> None:
    winter = datetime(2026, 12, 3, 18, 30, tzinfo=UTC)  # formatted, not compared with now
    summer = datetime(2027, 6, 3, 17, 30, tzinfo=UTC)
    assert shown_time(winter, "Europe/London") == "3 December 2026, 18:30 GMT"
    assert shown_time(summer, "Europe/London") == "3 June 2027, 18:30 BST"
