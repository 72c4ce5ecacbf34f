"""Serving the app: the socket is bound first, then the app served on it with limits.

`bind_socket(host, port)` runs before anything else starts (bot/client.py, first thing in
setup_hook): a port in use, or an address the machine does not have, is a `SettingsError`
naming WEB_PORT or WEB_HOST, so the bot never half-starts.

Limits: a request has no body (`client_max_size` 8 KiB, bot/web/app.py); the request line
and each header are capped (`max_line_size`, `max_field_size`) and so is their number; a
connection that sends no complete request within `keepalive_timeout` — idle, or trickling
its headers — is dropped, as is a handler whose client went away (`handler_cancellation`);
stopping waits at most `shutdown_timeout` for requests in flight. Behind a reverse proxy
(README) the proxy adds its own timeouts and TLS.
"""

from __future__ import annotations

import errno
import logging
import socket
from dataclasses import dataclass

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from bot.config import SettingsError
from bot.web.app import route_name

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
        runner = web.AppRunner(
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
