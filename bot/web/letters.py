"""A letter's public page, `/letters/{slug}`, and its public data beside it (`.json`, `.csv`).

The slug is the letter's unguessable address (migration 0017). An unknown slug, a letter whose
page an organiser took down (`/letter edit web:False`) and a page number past the last all
answer the same plain 404 (the middleware's), so none tells one case from another.

The page lists `WEB_SIGNATURES_PAGE_SIZE` public signatories a page, the very ones of
/letter signatures' pages at the same place (the service reads them the same way, one
indexed read, so a letter with 100,000 signatures loads as fast as a small one), grouped by
organisation within the page. Private signers are counted, never named. `?page=N` (1-based)
pages on; a malformed or out-of-range page is 404 (a link to it never came from us), and
`?page=1` is the page itself. Other query parameters (tracking tags added when a link is
shared) are ignored.

Member text reaches the page only through the autoescaping template (never `|safe`); line
breaks in the letter's text are kept by CSS (`white-space: pre-line`). The CSV is the same
spreadsheet-safe table as `/letter export` (`bot/render/exports.py`).

Built bodies are kept (`Kept`: 64 pages, 4 data files) with the state of the letter they
were built from: its row as read, whose `signatures_version` (migration 0017, moved on by
trigger with every change to its signatures, whoever makes it) and other fields change with
anything the page shows, and whether it was closed. A request reads that one row; if it is
unchanged the kept bytes go out, else the body is built anew. While signatures pour in, a
request that finds a build of the same body already running gets the last one kept (one
build behind at most), so builds never pile up. A page taken down is 404 at once (the row
says so before anything kept is looked at).

The .json and .csv of a large letter (100,000 signatories: about a second of work) are built
in a worker thread, one build at a time, and requests that arrive while one is built share
it, so downloads never starve the bot's gateway.

Responses carry a strong ETag (sha256 of the body: 304 on a matching If-None-Match) and
`Cache-Control: public, max-age=60`, so a shared link that is opened by many at once is
served mostly from caches while the count still moves within a minute.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from bot import text
from bot.domain.letters import Letter, Signature, Tally
from bot.domain.page_language import asked_language, page_language
from bot.i18n import Language, current, speaking, tr, welsh_datetime
from bot.render.exports import export_csv, export_filename, letter_text
from bot.render.letters import letter_page_url, tally_line
from bot.services.letters import LetterService, PublicData, PublicPage
from bot.web.app import WebContext
from bot.web.templating import language_links, render_text

SLUG = "{slug:[A-Za-z0-9_-]{16,64}}"  # token_urlsafe(16) or 32 hex digits (migration 0017)
CACHE_CONTROL = "public, max-age=60"
MAX_PAGE_DIGITS = 7  # more digits than any letter has pages of signatories


def page_number(raw: str | None) -> int | None:
    """`?page=` as a 0-based page; None when it is not a page number (the page is 404)."""
    if raw is None:
        return 0
    if not raw.isascii() or not raw.isdigit() or len(raw) > MAX_PAGE_DIGITS or raw[0] == "0":
        return None
    return int(raw) - 1


def shown_time(at: datetime, tz: str) -> str:
    """A time as the page shows it, in the server's zone with its abbreviation, in the
    language being rendered: "4 December 2026, 17:00 GMT" (or BST in summer); in Welsh
    words, "Dydd Gwener, 4 Rhagfyr 2026 am 17:00 GMT"."""
    at = at.astimezone(ZoneInfo(tz))
    if current() is Language.CY:
        return f"{welsh_datetime(at, tz)} {at:%Z}"
    return f"{at.day} {at:%B %Y, %H:%M %Z}"


def iso(at: datetime | None) -> str | None:
    return None if at is None else at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def state_line(letter: Letter, now: datetime, tz: str) -> str:
    """Open, open until a time, or closed since a time."""
    closed = letter.closed_since(now)
    if closed is not None:
        return tr(text.WEB_LETTER["closed"], at=shown_time(closed, tz))
    if letter.closes_at is not None:
        return tr(text.WEB_LETTER["open_until"], at=shown_time(letter.closes_at, tz))
    return tr(text.WEB_LETTER["open"])


def description(letter: Letter, tally: Tally) -> str:
    """og:description: the count sentence and who the letter is to."""
    return tr(text.WEB_LETTER["description"], tally=tally_line(tally), addressee=letter.addressee)


def _page_link(slug: str, page: int, lang: Language | None = None) -> str:
    """A link to page `page` (0-based), relative to /letters/: the first is the page's own
    address, without a query; `lang` (a language asked for) is kept on."""
    query = [f"page={page + 1}"] if page > 0 else []
    query += [f"lang={lang.value}"] if lang is not None else []
    return f"{slug}?{'&'.join(query)}" if query else slug


def page_values(
    shown: PublicPage, public_url: str, now: datetime, asked: Language | None = None
) -> dict[str, Any]:
    """What letter.html shows, in the language being rendered (`asked`: the one the reader
    asked for with ?lang=, kept on the paging links): member text as it is (the template
    escapes it); a Welsh page of a letter with no Welsh shows its English, marked so."""
    letter, tally = shown.letter, shown.tally
    url = letter_page_url(public_url, letter) or ""
    t = {key: tr(sentence) for key, sentence in text.WEB_LETTER.items()}
    lang = current()
    title, body = letter_text(letter, lang)
    title_lang = "cy" if lang is Language.CY and letter.title_cy else "en"
    body_lang = "cy" if lang is Language.CY and letter.body_cy else "en"
    groups = [
        {
            "organisation": group.shown(current()) or t["individuals"],
            "individuals": group.organisation is None,
            "names": [signature.name for signature in group.signatures],
        }
        for group in shown.groups
    ]
    slug, last = letter.slug, shown.pages
    paging = None
    if shown.pages > 1:
        paging = {
            "label": t["page"].format(page=shown.page + 1, pages=shown.pages),
            "first": _page_link(slug, 0, asked) if shown.page > 0 else None,
            "previous": _page_link(slug, shown.page - 1, asked) if shown.page > 0 else None,
            "next": _page_link(slug, shown.page + 1, asked) if shown.page + 1 < last else None,
            "last": _page_link(slug, last - 1, asked) if shown.page + 1 < last else None,
        }
    unlisted = tally.signatures - tally.listed
    return {
        "t": t,
        "title": t["title"].format(title=title),
        "letter_title": title,
        "title_lang": title_lang,
        "addressee": letter.addressee,
        "body": body,
        "body_lang": body_lang,
        "in_english": tr(text.WEB_SITE["text_in_english"]) if body_lang != lang.value else None,
        "languages": language_links(lambda other: _page_link(slug, shown.page, other)),
        "changed": shown_time(letter.updated_at, shown.tz),
        "changed_iso": iso(letter.updated_at),
        "tally": tally_line(tally),
        "state": state_line(letter, now, shown.tz),
        "closed": letter.is_closed(now),
        "groups": groups,
        "unlisted": t["unlisted"].format(count=unlisted) if unlisted else None,
        "paging": paging,
        "url": url,
        "description": description(letter, tally),
        "json_url": f"{letter.slug}.json",
        "csv_url": f"{letter.slug}.csv",
    }


def letter_json(
    letter: Letter, tally: Tally, signatures: list[Signature], public_url: str, now: datetime
) -> bytes:
    """The public data: the letter, its counts and every public signatory in signing order."""
    data = {
        "title": letter.title,
        "addressee": letter.addressee,
        "text": letter.body,
        "updated": iso(letter.updated_at),
        "text_changed": iso(letter.body_changed_at),
        "open": not letter.is_closed(now),
        "closes_at": iso(letter.closes_at),
        "closed_at": iso(letter.closed_since(now)),
        "url": letter_page_url(public_url, letter),
        "counts": {
            "signatures": tally.signatures,
            "organisations": tally.organisations,
            "listed": tally.listed,
            "sentence": tally_line(tally),
        },
        "signatories": [{"name": s.name, "organisation": s.organisation} for s in signatures],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Body:
    """A built answer: its bytes, their type and strong ETag; a CSV goes as an attachment."""

    data: bytes
    content_type: str
    filename: str | None = None
    language: Language | None = None  # a page's, chosen by the request (Content-Language)

    @cached_property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.data).hexdigest()[:32] + '"'


def answer(request: web.Request, body: Body) -> web.Response:
    """The body with its ETag and short public caching; 304 when the client already holds
    this very body."""
    headers = {"ETag": body.etag, "Cache-Control": CACHE_CONTROL}
    if body.language is not None:  # chosen by ?lang= and Accept-Language: caches keep each
        headers |= {"Content-Language": body.language.value, "Vary": "Accept-Language"}
    if body.etag in _etags(request.headers.get("If-None-Match", "")):
        return web.Response(status=304, headers=headers)
    if body.filename is not None:
        headers["Content-Disposition"] = f'attachment; filename="{body.filename}"'
    return web.Response(
        body=body.data, content_type=body.content_type, charset="utf-8", headers=headers
    )


def _etags(header: str) -> set[str]:
    """The entity tags an If-None-Match lists ("*" matches any), weak ones as strong."""
    tags = {part.strip().removeprefix("W/") for part in header.split(",") if part.strip()}
    return {"*"} | tags if "*" in tags else tags


# Where a body belongs: the letter's slug and which body ("page 3", "json", "csv").
Place = tuple[str, str]
# What a body was built from: the letter's row as read (every field, and its
# `signatures_version`, which moves on with any change to its signatures) and whether it was
# closed then. A body kept for the state the letter is still in is still right.
State = tuple[Letter, bool]


class Kept:
    """The last `size` bodies built, by place, each with the state it was built from (the
    least used goes first)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._bodies: OrderedDict[Place, tuple[State, Body]] = OrderedDict()

    def get(self, place: Place) -> tuple[State, Body] | None:
        found = self._bodies.get(place)
        if found is not None:
            self._bodies.move_to_end(place)
        return found

    def put(self, place: Place, state: State, body: Body) -> None:
        self._bodies[place] = (state, body)
        self._bodies.move_to_end(place)
        while len(self._bodies) > self.size:
            self._bodies.popitem(last=False)


class Builds:
    """Bodies being built: a request for a place already being built shares that build;
    with `one`, one build at a time. None: no such body (404)."""

    def __init__(self, one: asyncio.Semaphore | None = None) -> None:
        self._one = one
        self._running: dict[Place, asyncio.Future[Body | None]] = {}

    def running(self, place: Place) -> bool:
        return place in self._running

    async def get(self, place: Place, make: Callable[[], Awaitable[Body | None]]) -> Body | None:
        running = self._running.get(place)
        if running is None:
            running = asyncio.ensure_future(self._build(make))
            self._running[place] = running
            running.add_done_callback(lambda _: self._running.pop(place, None))
        return await asyncio.shield(running)  # a client that leaves stops no one else's

    async def _build(self, make: Callable[[], Awaitable[Body | None]]) -> Body | None:
        if self._one is None:
            return await make()
        async with self._one:
            return await make()


def letter_csv(found: PublicData) -> bytes:
    """The public signatories as /letter export's CSV (grouped by organisation, cells no
    spreadsheet runs as a formula), with the BOM that makes spreadsheets read UTF-8."""
    return export_csv(found.signatures).encode("utf-8-sig")


KEPT_PAGES = 64  # a few letters' first pages (~30 KB each)
KEPT_DATA = 4  # the .json and .csv of two large letters (~4 MB each at 100,000 names)


def add_routes(routes: web.RouteTableDef, context: WebContext) -> None:
    letters = context.letters
    if letters is None:
        return
    service: LetterService = letters
    pages, data = Kept(KEPT_PAGES), Kept(KEPT_DATA)
    page_builds, data_builds = Builds(), Builds(asyncio.Semaphore(1))

    async def page_body(
        slug: str, page: int, lang: Language, asked: Language | None
    ) -> Body | None:
        shown = await service.public_page(slug, page)
        if shown is None:
            return None
        with speaking(lang, shown.tz):
            values = page_values(shown, context.public_url, context.clock(), asked)
            html = render_text("letter.html", lang=lang.value, **values)
        return Body(html.encode(), "text/html", language=lang)

    async def json_body(slug: str, _: Language | None) -> Body | None:
        found = await service.public_data(slug)
        if found is None:
            return None
        now = context.clock()
        built = await asyncio.to_thread(
            letter_json, found.letter, found.tally, found.signatures, context.public_url, now
        )
        return Body(built, "application/json")

    async def csv_body(slug: str, _: Language | None) -> Body | None:
        found = await service.public_data(slug)
        if found is None:
            return None
        built = await asyncio.to_thread(letter_csv, found)
        # The file's name is the title folded to a-z, 0-9 and "-" (export_filename):
        # nothing a member typed reaches the header as it was typed.
        return Body(built, "text/csv", export_filename(found.letter, "csv"))

    async def serve(
        request: web.Request,
        which: str,
        make: Callable[[str, Language | None], Awaitable[Body | None]],
        kept: Kept,
        builds: Builds,
        language: Callable[[Letter], Awaitable[Language]] | None = None,
    ) -> web.StreamResponse:
        """The body `which` of the letter at the request's slug: the one kept if the letter
        is still as it was built from; else built now. While signatures pour in, a request
        that finds a newer body already being built gets the one kept: it is at most one
        build behind, and builds never pile up. `language`: a page's, chosen for the letter
        (each language's body is kept apart)."""
        slug = request.match_info["slug"]
        letter = await service.public_letter(slug)  # a page taken down is 404 at once
        if letter is None:
            raise web.HTTPNotFound()
        lang = None if language is None else await language(letter)
        if lang is not None:
            which = f"{which} {lang.value}"
        place, state = (slug, which), (letter, letter.is_closed(context.clock()))
        found = kept.get(place)
        if found is not None and (found[0] == state or builds.running(place)):
            return answer(request, found[1])

        async def build() -> Body | None:
            # Read after `state`, so never older than the state it is kept under.
            body = await make(slug, lang)
            if body is not None:
                kept.put(place, state, body)
            return body

        body = await builds.get(place, build)
        if body is None:
            raise web.HTTPNotFound()
        return answer(request, body)

    @routes.get(f"/letters/{SLUG}")
    async def letter_page(request: web.Request) -> web.StreamResponse:
        page = page_number(request.query.get("page"))
        if page is None:  # other parameters (a share's tracking tags) are ignored
            raise web.HTTPNotFound()
        raw = request.query.get("lang")
        asked, accept = asked_language(raw), request.headers.get("Accept-Language")

        async def language(letter: Letter) -> Language:
            return page_language(raw, accept, await service.public_mode(letter))

        return await serve(
            request,
            f"page {page} asked {asked}",
            lambda slug, lang: page_body(slug, page, lang or Language.EN, asked),
            pages,
            page_builds,
            language,
        )

    @routes.get(f"/letters/{SLUG}.json")
    async def data_json(request: web.Request) -> web.StreamResponse:
        return await serve(request, "json", json_body, data, data_builds)

    @routes.get(f"/letters/{SLUG}.csv")
    async def data_csv(request: web.Request) -> web.StreamResponse:
        return await serve(request, "csv", csv_body, data, data_builds)
