"""The web server's safety: GET and HEAD only, plain 404/405/500 with no detail, the security
headers on every answer, no server banner, request limits, slow clients dropped, /healthz,
and a port in use refused before anything starts."""

from __future__ import annotations

import asyncio
import logging
import re
import socket
from typing import Any

import pytest

from bot.config import FIXES, SettingsError
from bot.services.feeds import FeedSpec
from bot.web.app import CONTENT_SECURITY_POLICY, PLAIN, WebContext
from bot.web.health import Health
from bot.web.server import Limits, bind_socket
from tests.support.fakes import FakeClock
from tests.web.conftest import PUBLIC_URL, HealthState, Running, Serve

SECURITY = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def assert_safe_headers(response: Any) -> None:
    assert "Server" not in response.headers, response.headers.get("Server")
    for name, value in SECURITY.items():
        assert response.headers.get(name) == value, name


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
@pytest.mark.parametrize("path", ["/", "/healthz", "/no/such/page", "/feeds/x.ics"])
async def test_only_get_and_head_are_served(web: Running, method: str, path: str) -> None:
    response, body = await web.get(path, method, data=b"x=1")
    assert response.status == 405
    assert response.headers["Allow"] == "GET, HEAD"
    assert body.decode() == PLAIN[405]
    assert_safe_headers(response)


@pytest.mark.parametrize(
    "path",
    ["/nope", "/feeds/", "/feeds/abc.ics", "/static/../bot/config.py", "/healthz/x", "/%00"],
)
async def test_unknown_paths_are_a_plain_404_with_no_detail(web: Running, path: str) -> None:
    response, body = await web.get(path)
    assert response.status == 404
    assert response.content_type == "text/plain"
    assert body.decode() == PLAIN[404] == "Heb ei ganfod.\nNot found.\n"  # Welsh first
    assert_safe_headers(response)


async def test_the_home_page_is_accessible_html_with_no_script(web: Running) -> None:
    response, body = await web.get("/")
    assert response.status == 200
    assert response.content_type == "text/html" and response.charset == "utf-8"
    assert_safe_headers(response)
    page = body.decode()
    assert page.startswith("<!doctype html>")
    assert '<html lang="cy">' in page  # no Accept-Language: Welsh (tests/web/test_languages.py)
    assert len(re.findall(r"<h1[ >]", page)) == 1
    for landmark in ("<header", "<main>", "<footer"):
        assert page.count(landmark) == 1, landmark
    assert "<script" not in page and "style=" not in page and "<style" not in page
    assert '<link rel="stylesheet" href="/static/site.css">' in page
    head, head_body = await web.get("/", "HEAD")
    assert head.status == 200 and head_body == b""
    assert head.headers["Content-Length"] == str(len(body))
    assert_safe_headers(head)


async def test_the_stylesheet_is_served_with_a_validator(web: Running) -> None:
    response, body = await web.get("/static/site.css")
    assert response.status == 200 and response.content_type == "text/css"
    assert b"body" in body
    again, again_body = await web.get(
        "/static/site.css", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status == 304 and again_body == b""
    assert_safe_headers(again)


async def test_an_error_is_a_plain_500_logged_with_no_traceback(
    serve: Serve, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken:
        async def resolve(self, token: str) -> FeedSpec | None:
            raise RuntimeError("secret detail from deep inside")

    context = WebContext(clock=clock, public_url=PUBLIC_URL, feeds=Broken())  # type: ignore[arg-type]
    token = "A" * 32
    with caplog.at_level(logging.ERROR, logger="bot.web"):
        async with serve(context) as web:
            response, body = await web.get(f"/feeds/{token}.ics")
    assert response.status == 500
    assert body.decode() == PLAIN[500]
    assert b"secret detail" not in body and b"Traceback" not in body
    assert_safe_headers(response)
    [record] = [r for r in caplog.records if r.name == "bot.web.app"]
    assert "/feeds/{token}.ics" in record.getMessage()
    assert token not in caplog.text  # the route is logged, never the path with its token
    assert record.exc_info is not None


@pytest.fixture
def probe_every_time(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.web import health

    monkeypatch.setattr(health, "PROBE_EVERY_S", 0.0)


@pytest.mark.usefixtures("probe_every_time")
async def test_healthz_is_200_when_healthy_and_503_when_not(
    web: Running, health_state: HealthState
) -> None:
    health_state.set(jobs_pending=7)
    response, _ = await web.get("/healthz")
    assert response.status == 200
    assert await response.json() == {
        "gateway": True,
        "database": True,
        "scheduler": True,
        "jobs_pending": 7,
    }
    assert response.headers["Cache-Control"] == "no-store"
    assert_safe_headers(response)
    for broken in ("gateway", "database", "scheduler"):
        health_state.set(gateway=True, database=True, scheduler=True)
        health_state.set(**{broken: False})
        response, _ = await web.get("/healthz")
        assert response.status == 503, broken
        held = await response.json()
        assert held[broken] is False and held["jobs_pending"] == 7
        assert set(held) == {"gateway", "database", "scheduler", "jobs_pending"}


async def test_many_asking_at_once_share_one_probe_a_second(serve: Serve, clock: FakeClock) -> None:
    probes = 0

    async def slow() -> Health:
        nonlocal probes
        probes += 1
        await asyncio.sleep(0.1)
        return Health(gateway=True, database=True, scheduler=True, jobs_pending=probes)

    context = WebContext(clock=clock, public_url=PUBLIC_URL, health=slow)
    async with serve(context) as web:
        answers = await asyncio.gather(*(web.get("/healthz") for _ in range(50)))
        assert probes == 1
        assert all(r.status == 200 for r, _ in answers)
        await asyncio.sleep(1.05)
        response, _ = await web.get("/healthz")
        assert probes == 2 and (await response.json())["jobs_pending"] == 2


async def test_a_probe_that_fails_or_hangs_is_unhealthy(
    serve: Serve, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.web import health

    async def hangs() -> health.Health:
        await asyncio.sleep(60)
        raise AssertionError("not reached")

    async def fails() -> health.Health:
        raise OSError("database is locked")

    monkeypatch.setattr(health, "PROBE_TIMEOUT_S", 0.2)
    monkeypatch.setattr(health, "PROBE_EVERY_S", 0.0)
    for probe in (hangs, fails):
        context = WebContext(clock=clock, public_url=PUBLIC_URL, health=probe)
        async with serve(context) as web:
            response, _ = await web.get("/healthz")
            assert response.status == 503
            assert (await response.json())["database"] is False


async def test_oversized_headers_are_refused(web: Running) -> None:
    response, body = await web.get("/", headers={"X-Big": "a" * 10_000})
    assert response.status in (400, 431)
    assert b"Traceback" not in body
    long_path, _ = await web.get("/" + "a" * 10_000)
    assert long_path.status in (400, 414)


@pytest.mark.parametrize(
    "sent",
    [
        b"GET /feeds/" + b"s" * 5000 + b".ics HTTP/1.1\r\nHost: x\r\n\r\n",  # line too long
        b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 5000 + b"\r\n\r\n",  # header too long
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http\r\n\r\n",  # TLS to a plain port
        b"GET / HTTP/1.1\r\nHost x\r\n\r\n",  # a header without its colon
    ],
    ids=["long line", "long header", "not http", "bad header"],
)
async def test_what_the_parser_refuses_is_answered_like_any_refusal(
    web: Running, sent: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    """aiohttp answers these itself: still no banner, our headers, nothing echoed back."""
    answer = await raw_request(web.server.port, sent, wait=5)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert re.match(rb"HTTP/1\.[01] 4\d\d ", head), answer[:200]
    assert b"\r\nServer:" not in head
    assert b"Content-Security-Policy: default-src 'none'" in head
    assert body in {plain.encode() for plain in PLAIN.values()}, body
    assert b"sss" not in answer and b"aaa" not in answer and b"not http" not in answer
    assert not any("s" * 100 in r.getMessage() for r in caplog.records)  # no token in the log


async def test_a_request_body_beyond_the_limit_is_not_read(web: Running) -> None:
    response, _ = await web.get("/", "GET", data=b"x" * 100_000)
    assert response.status in (200, 413)  # a GET's body is never read; the method rules


async def raw_request(port: int, data: bytes, wait: float) -> bytes:
    """Send `data` on a raw connection and read until the server closes it (or `wait` s)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(data)
    await writer.drain()
    try:
        return await asyncio.wait_for(reader.read(), wait)
    finally:
        writer.close()


async def test_a_slow_client_is_dropped(serve: Serve, clock: FakeClock) -> None:
    context = WebContext(clock=clock, public_url=PUBLIC_URL)
    limits = Limits(keepalive_timeout_s=0.5)
    async with serve(context, limits) as web:
        loop = asyncio.get_running_loop()
        started = loop.time()
        # Half a request line, then nothing: the connection is closed, unanswered.
        got = await raw_request(web.server.port, b"GET / HT", wait=5)
        assert got == b""
        assert loop.time() - started < 3
        # Idle after a full answer: closed too (keep-alive ends).
        answer = await raw_request(web.server.port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", wait=5)
        assert answer.startswith(b"HTTP/1.1 200")
        assert b"\r\nServer:" not in answer


async def test_a_port_in_use_is_a_settings_error_naming_web_port() -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        with pytest.raises(SettingsError) as caught:
            bind_socket("127.0.0.1", port)
    finally:
        taken.close()
    message = str(caught.value)
    assert caught.value.name == "WEB_PORT"
    assert message.startswith("WEB_PORT ") and str(port) in message
    assert FIXES["WEB_PORT"] in message and "\n" not in message


async def test_a_host_that_is_no_address_here_is_a_settings_error() -> None:
    with pytest.raises(SettingsError) as caught:
        bind_socket("192.0.2.1", 0)  # TEST-NET-1: never this machine's
    assert caught.value.name == "WEB_HOST"
