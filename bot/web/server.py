"""Serving the app: the socket is bound first, then the app served on it with limits.

`bind_socket(host, port)` runs before anything else starts (bot/client.py, first thing in
setup_hook): a port in use, or an address the machine does not have, is a `SettingsError`
naming WEB_PORT or WEB_HOST, so the bot never half-starts.

Limits: a request has no body (`client_max_size` 8 KiB, bot/web/app.py); the request line
and each header are capped (`max_line_size`, `max_field_size`) and so is their number; a
connection that sends no complete request within `keepalive_timeout` — idle, or trickling
its headers — is dropped, as is a handler whose client went away (`handler_cancellation`);
stopping waits at most `shutdown_timeout` for requests in flight. What aiohttp's parser
refuses by itself (a line or header over the limits, a request that is not HTTP) is
answered like every other refusal: a short plain 4xx, the security headers, no banner, and
a log line that quotes nothing of the request. Behind a reverse proxy
(README) the proxy adds its own timeouts and TLS.
"""

from __future__ import annotations

import errno
import logging
import socket
from dataclasses import dataclass

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.web_protocol import RequestHandler
from aiohttp.web_request import BaseRequest
from aiohttp.web_server import Server

from bot.config import SettingsError
from bot.web.app import PLAIN, SECURITY_HEADERS, route_name

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    keepalive_timeout_s: float = 15.0  # idle or unfinished request: dropped after this
    shutdown_timeout_s: float = 5.0
    max_line_size: int = 4096  # the request line (method, path, version)
    max_field_size: int = 4096  # one header
    max_headers: int = 64
    backlog: int = 128


class AccessLog(AbstractAccessLogger):
    """One DEBUG line per request, naming the route pattern, never the path (tokens)."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.debug(
            "web %s %s -> %s in %.1f ms",
            request.method,
            route_name(request),
            response.status,
            time * 1000,
        )

    @property
    def enabled(self) -> bool:
        return self.logger.isEnabledFor(logging.DEBUG)


def bind_socket(host: str, port: int, *, backlog: int = Limits.backlog) -> socket.socket:
    """A listening socket on (host, port); `port` 0 picks a free one (tests)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        raise SettingsError("WEB_HOST", f"({host}) is not an address of this machine") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(backlog)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise SettingsError("WEB_PORT", f"({port}) is in use on {host}") from None
        if exc.errno == errno.EACCES:
            raise SettingsError("WEB_PORT", f"({port}) may not be used by this user") from None
        raise SettingsError("WEB_HOST", f"({host}) cannot be listened on: {exc.strerror}") from None
    sock.setblocking(False)
    return sock


class _Refusal(web.Response):
    """What a request aiohttp's own parser refuses (a malformed request line or header, one
    over the limits) gets: the same short plain answer and headers as every other refusal,
    without the `Server` banner aiohttp puts on everything it answers itself."""

    def __init__(self, status: int) -> None:
        super().__init__(
            status=status,
            text=PLAIN.get(status, PLAIN[400]),
            content_type="text/plain",
            charset="utf-8",
            headers=SECURITY_HEADERS,
        )
        self.force_close()

    async def _prepare_headers(self) -> None:  # aiohttp adds its banner here
        await super()._prepare_headers()
        self.headers.pop("Server", None)


class _QuietHandler(RequestHandler):
    """aiohttp's connection handler, answering its parser's refusals with `_Refusal` and
    logging them in one line (aiohttp's own log line would quote the request: a token)."""

    def handle_error(
        self,
        request: BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        if request.writer.output_size > 0:  # part of an answer is out: the connection is lost
            raise ConnectionError("an answer was under way; the connection is dropped")
        log.info("web: refused a request with %d (%s)", status, type(exc).__name__)
        return _Refusal(status)


class _QuietServer(Server):
    def __call__(self) -> RequestHandler:
        return _QuietHandler(self, loop=self._loop, **self._kwargs)


class _Runner(web.AppRunner):
    async def _make_server(self) -> Server:
        server = await super()._make_server()
        server.__class__ = _QuietServer  # the same server, making quiet connection handlers
        return server


class WebServer:
    """The app served on a bound socket. `start()` once, `stop()` once (safe to repeat)."""

    def __init__(self, app: web.Application, sock: socket.socket, limits: Limits | None = None):
        self.app = app
        self.sock = sock
        self.limits = limits or Limits()
        self.port: int = sock.getsockname()[1]
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        limits = self.limits
        runner = _Runner(
            self.app,
            handle_signals=False,
            access_log_class=AccessLog,
            access_log=logging.getLogger("bot.web.access"),
            keepalive_timeout=limits.keepalive_timeout_s,
            shutdown_timeout=limits.shutdown_timeout_s,
            handler_cancellation=True,
            max_line_size=limits.max_line_size,
            max_field_size=limits.max_field_size,
            max_headers=limits.max_headers,
        )
        await runner.setup()
        self._runner = runner
        site = web.SockSite(runner, self.sock)
        await site.start()
        log.info("web server listening on port %d", self.port)

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
        self.sock.close()
