"""`GET /feeds/{token}.ics`: a live calendar feed, for calendar apps to subscribe to.

The body is the one calendar generator's (bot/render/calendar.py `event_calendar`, the same
as `/events calendar`), stamped with the time of the feed's latest change, so unchanged
content is the same bytes. Caching:

* `ETag`: the SHA-256 of the body, quoted (strong). `If-None-Match` with that tag (in a
  list or not; a `W/` prefix is compared as RFC 9110 says for GET, by the tag alone) or `*`
  answers 304. When `If-None-Match` is sent, `If-Modified-Since` is not looked at.
* `Last-Modified`: the latest change to what the feed holds: an event's edit or
  cancellation, for a personal feed the member's latest answer, else when the URL was made.
  `If-Modified-Since` at or after it answers 304 — for the server's feeds only: taking an
  answer back leaves no row to date, so a personal feed's copy is judged by its ETag alone.
* A client that accepts gzip (calendar apps do) gets the body gzipped, compressed once per
  rendering (a feed of 10,000 events: 7 MB, 220 KiB gzipped), with its own strong tag (the
  body's, `-gzip` added) and `Vary: Accept-Encoding`; either tag is a match.
* `Cache-Control: private, max-age=900`, for the server's feed too: each URL is one
  member's secret, so no shared cache may keep it, and Google and Outlook poll at their own
  pace anyway (hours); REFRESH-INTERVAL / X-PUBLISHED-TTL in the body ask for hourly.

A malformed, unknown or retired token is the same plain 404 as any unknown path.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from aiohttp import web

from bot.render.calendar import event_calendar
from bot.render.feeds import feed_name
from bot.services.feeds import FeedService, FeedSpec, FeedState
from bot.web.app import WebContext

ROUTE = "/feeds/{token:[A-Za-z0-9_-]{1,64}}.ics"
REFRESH = timedelta(hours=1)
CACHE_CONTROL = "private, max-age=900"
KEPT_FEEDS = 64  # rendered feeds kept in memory, the least recently asked for dropped first


def http_date(at: datetime) -> str:
    return format_datetime(at.astimezone(UTC).replace(microsecond=0), usegmt=True)


def not_modified(
    request: web.Request, tags: tuple[str, ...], last_modified: datetime | None, now: datetime
) -> bool:
    """Whether the client's copy is current (RFC 9110 §13.1.2 and §13.1.3); `tags` are the
    quoted ETags of the feed's representations. If-Modified-Since is looked at only with a
    `last_modified` to compare, and not believed when later than now (a clock ahead)."""
    if "If-None-Match" in request.headers:
        current = {"*", *(tag.strip('"') for tag in tags)}
        return any(sent.value in current for sent in request.if_none_match or ())
    since = request.if_modified_since
    if since is None or last_modified is None:
        return False
    return last_modified.replace(microsecond=0) <= since <= now


@dataclass(frozen=True)
class Rendered:
    """A rendered feed, kept gzipped only (a twentieth of the size): the rare client that
    does not take gzip gets it unzipped on the way out."""

    content: tuple[object, ...]  # FeedState.content it was rendered from
    gzipped: bytes
    etag: str  # of the calendar itself
    gzip_etag: str  # of its gzipped form

    @classmethod
    def of(cls, content: tuple[object, ...], body: bytes) -> Rendered:
        """Made in a thread: hashing and compressing megabytes takes a while too."""
        digest = hashlib.sha256(body).hexdigest()
        squeezed = gzip.compress(body, compresslevel=6, mtime=0)
        return cls(content, squeezed, f'"{digest}"', f'"{digest}-gzip"')

    async def body(self) -> bytes:
        if len(self.gzipped) < 64 * 1024:
            return gzip.decompress(self.gzipped)
        return await asyncio.to_thread(gzip.decompress, self.gzipped)

    @property
    def tags(self) -> tuple[str, ...]:
        return (self.etag, self.gzip_etag)


class RenderedFeeds:
    """Rendered feeds by what they show (server, mine and whose, region), kept while the
    figures they were made from hold: a poll of an unchanged feed reads one aggregate and
    sends the kept bytes, and many clients asking at once for a changed feed wait for one
    rendering. Rendering runs in a thread: a feed of thousands of events takes seconds of
    icalendar, which must not hold up the event loop (the gateway)."""

    def __init__(self, size: int = KEPT_FEEDS) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, Rendered] = OrderedDict()
        self._locks: dict[Hashable, asyncio.Lock] = {}

    async def get(
        self,
        key: Hashable,
        content: tuple[object, ...],
        render: Callable[[], Awaitable[Rendered]],
    ) -> Rendered:
        kept = self._kept.get(key)
        if kept is not None and kept.content == content:
            self._kept.move_to_end(key)
            return kept
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            kept = self._kept.get(key)
            if kept is None or kept.content != content:
                kept = await render()
                self._kept[key] = kept
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                dropped, _ = self._kept.popitem(last=False)
                if dropped in self._locks and not self._locks[dropped].locked():
                    del self._locks[dropped]
        return kept


async def render_feed(
    feeds: FeedService, spec: FeedSpec, state: FeedState, now: datetime
) -> Rendered:
    events = await feeds.events(spec, now)

    def render() -> Rendered:
        body = event_calendar(
            events,
            now=state.latest or spec.created_at,  # DTSTAMP: the latest change, not the poll
            tz=state.tz,
            name=feed_name(spec.mine, spec.region),
            refresh=REFRESH,
            languages=state.languages,
        )
        return Rendered.of(state.content, body)

    return await asyncio.to_thread(render)


def accepts_gzip(request: web.Request) -> bool:
    """Whether Accept-Encoding allows gzip (named, or by `*`), with a q above 0."""
    weights: dict[str, bool] = {}
    for part in request.headers.get("Accept-Encoding", "").lower().split(","):
        coding, _, params = part.strip().partition(";")
        q = params.strip().removeprefix("q=").strip()
        try:
            weights[coding.strip()] = float(q) > 0 if q else True
        except ValueError:
            weights[coding.strip()] = False
    for coding in ("gzip", "x-gzip", "*"):
        if coding in weights:
            return weights[coding]
    return False


def add_routes(routes: web.RouteTableDef, context: WebContext) -> None:
    feeds = context.feeds
    if feeds is None:
        return
    rendered = RenderedFeeds()

    @routes.get(ROUTE)
    async def feed(request: web.Request) -> web.StreamResponse:
        spec = await feeds.resolve(request.match_info["token"])
        if spec is None:
            raise web.HTTPNotFound()
        now = context.clock()
        state = await feeds.state(spec, now)
        found = await rendered.get(
            spec.key, state.content, lambda: render_feed(feeds, spec, state, now)
        )
        last_modified = state.last_modified(spec)
        squeeze = accepts_gzip(request)
        headers = {
            "ETag": found.gzip_etag if squeeze else found.etag,
            "Last-Modified": http_date(last_modified),
            "Cache-Control": CACHE_CONTROL,
            "Vary": "Accept-Encoding",
        }
        dated = None if spec.mine else last_modified  # see the module's docstring
        if not_modified(request, found.tags, dated, now):
            return web.Response(status=304, headers=headers)
        if squeeze:
            headers["Content-Encoding"] = "gzip"
        return web.Response(
            body=found.gzipped if squeeze else await found.body(),
            content_type="text/calendar",
            charset="utf-8",
            headers=headers,
        )
