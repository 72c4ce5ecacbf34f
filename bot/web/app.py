"""The web application: its context, its safety middleware and its page modules.

Every response, whatever answered it, carries the same security headers and no `Server`
banner. Only GET and HEAD reach a handler; anything else is 405 with `Allow`. An unknown path
is 404 with the same short plain body as anything a handler refuses (a feed's old token, a
letter taken down), so a 404 never tells one case from another. An exception in a handler is
logged (by route, never by path: a path may hold a feed's token) and answered 500 with a short
plain body, never a traceback.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import importlib.resources
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web

from bot import text
from bot.clock import Clock
from bot.i18n import both_lines

if TYPE_CHECKING:
    from bot.services.feeds import FeedService
    from bot.services.letters import LetterService
    from bot.web.health import HealthProbe

log = logging.getLogger(__name__)

ALLOWED_METHODS = ("GET", "HEAD")
MAX_REQUEST_BYTES = 8 * 1024  # requests have no body: the headers' worth is plenty
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# In Welsh, then English: a plain answer knows nothing of the reader (nor, for a 404, of
# what was asked for), so it is given in both.
PLAIN = {status: both_lines(sentence) + "\n" for status, sentence in text.WEB_PLAIN.items()}
STYLESHEET = "/static/site.css"


@dataclass(frozen=True)
class WebContext:
    """What the pages need, handed in by the Bot (bot/client.py `_start_web`): never the Bot.

    Every service is optional so a test builds a context with only what it uses; a page
    module whose service is None adds no routes."""

    clock: Clock
    public_url: str  # PUBLIC_URL: the base of every link handed out, no trailing slash
    health: HealthProbe | None = None
    feeds: FeedService | None = None
    letters: LetterService | None = None


def plain(status: int, body: str | None = None, **headers: str) -> web.Response:
    """A short plain-text answer (404, 405, 500, 503...): no detail, nothing from the request."""
    return web.Response(
        status=status,
        text=body if body is not None else PLAIN.get(status, "Error.\n"),
        content_type="text/plain",
        charset="utf-8",
        headers=headers or None,
    )


def route_name(request: web.BaseRequest) -> str:
    """The route's pattern (`/feeds/{token}.ics`), for logs: never the path, which may hold a
    feed's token or a letter's slug."""
    match_info = getattr(request, "match_info", None)
    route = getattr(match_info, "route", None)
    resource = getattr(route, "resource", None)
    canonical = getattr(resource, "canonical", None)
    return canonical if isinstance(canonical, str) else "(no route)"


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.method not in ALLOWED_METHODS:
        return plain(405, Allow=", ".join(ALLOWED_METHODS))
    try:
        return await handler(request)
    except web.HTTPMethodNotAllowed:
        return plain(405, Allow=", ".join(ALLOWED_METHODS))
    except web.HTTPException as exc:
        if exc.status < 400:
            raise  # a redirect or a 304 raised by a handler: it is the answer
        return plain(exc.status if exc.status in PLAIN else 404)
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("web: %s %s failed", request.method, route_name(request))
        return plain(500)


async def secure_headers(request: web.Request, response: web.StreamResponse) -> None:
    """on_response_prepare: the security headers on every response, and no server banner."""
    response.headers.pop("Server", None)
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value


def _add_static(routes: web.RouteTableDef) -> None:
    css = importlib.resources.files("bot.web").joinpath("static/site.css").read_bytes()
    etag = '"' + hashlib.sha256(css).hexdigest()[:32] + '"'

    @routes.get(STYLESHEET)
    async def stylesheet(request: web.Request) -> web.StreamResponse:
        headers = {"ETag": etag, "Cache-Control": "public, max-age=86400"}
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers=headers)
        return web.Response(body=css, content_type="text/css", charset="utf-8", headers=headers)


# The page modules, each with `add_routes(routes, context)` (see bot/web/__init__.py).
PAGES: tuple[str, ...] = (
    "bot.web.home",
    "bot.web.health",
    "bot.web.feeds",
    "bot.web.letters",
)


def make_app(context: WebContext) -> web.Application:
    """The application over `context`; serve it with `bot.web.server.WebServer`."""
    app = web.Application(middlewares=[guard], client_max_size=MAX_REQUEST_BYTES)
    app.on_response_prepare.append(secure_headers)
    routes = web.RouteTableDef()
    _add_static(routes)
    for name in PAGES:
        importlib.import_module(name).add_routes(routes, context)
    app.add_routes(routes)
    return app
