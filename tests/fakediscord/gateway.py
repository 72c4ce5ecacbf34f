"""The gateway: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, sequence numbers, RESUME
replaying missed dispatches, zlib-stream (and zstd-stream when a zstd module is importable)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from aiohttp import WSMsgType, web

from .ids import session_id

if TYPE_CHECKING:
    from .server import FakeDiscord

log = logging.getLogger(__name__)

DISPATCH, HEARTBEAT, IDENTIFY, RESUME, RECONNECT = 0, 1, 2, 6, 7
INVALID_SESSION, HELLO, HEARTBEAT_ACK = 9, 10, 11

# Intent bits a dispatch needs (Discord's gateway intents).
GUILDS = 1 << 0
GUILD_MEMBERS = 1 << 1
GUILD_MESSAGES = 1 << 9
GUILD_MESSAGE_REACTIONS = 1 << 10
DIRECT_MESSAGES = 1 << 12
DIRECT_MESSAGE_REACTIONS = 1 << 13
MESSAGE_CONTENT = 1 << 15
GUILD_SCHEDULED_EVENTS = 1 << 16
GUILD_PRESENCES = 1 << 8
PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT


class _Compressor(Protocol):
    def __call__(self, data: bytes) -> bytes: ...


def _zlib_stream() -> _Compressor:
    context = zlib.compressobj()

    def compress(data: bytes) -> bytes:
        return context.compress(data) + context.flush(zlib.Z_SYNC_FLUSH)

    return compress


def _zstd_stream() -> _Compressor | None:
    """zstd-stream, for a discord.py that found a zstd module (not exercised on Python 3.11)."""
    try:
        import zstandard  # type: ignore[import-not-found]
    except ImportError:
        pass
    else:
        stream = zstandard.ZstdCompressor().compressobj()
        flush_block = zstandard.COMPRESSOBJ_FLUSH_BLOCK
        return lambda data: bytes(stream.compress(data) + stream.flush(flush_block))
    try:
        from compression.zstd import ZstdCompressor  # type: ignore[import-not-found]
    except ImportError:
        return None
    compressor = ZstdCompressor()
    return lambda data: bytes(compressor.compress(data, mode=ZstdCompressor.FLUSH_BLOCK))


@dataclass
class Dispatch:
    seq: int
    name: str
    data: dict[str, Any]
    # RESUMED goes only to the connection that resumed; never replayed.
    only_for: Connection | None = None


@dataclass
class Session:
    id: str
    intents: int
    events: list[Dispatch] = field(default_factory=list)
    connection: Connection | None = None
    disconnected_at: float | None = None
    invalid: bool = False

    @property
    def seq(self) -> int:
        return len(self.events)

    def append(self, name: str, data: dict[str, Any], only_for: Connection | None = None) -> None:
        self.events.append(Dispatch(self.seq + 1, name, data, only_for))
        if self.connection is not None:
            self.connection.wake.set()


class Connection:
    def __init__(
        self, ws: web.WebSocketResponse, request: web.Request, compress: _Compressor | None
    ) -> None:
        self.ws = ws
        self.request = request
        self.path = request.path
        self.compress = compress
        self.session: Session | None = None
        self.sent_seq = 0
        self.wake = asyncio.Event()
        self.lock = asyncio.Lock()
        self.pump: asyncio.Task[None] | None = None
        self.heartbeats = 0

    async def send(self, payload: dict[str, Any]) -> None:
        raw = json.dumps(payload, separators=(",", ":")).encode()
        async with self.lock:
            if self.ws.closed:
                raise ConnectionResetError("gateway socket closed")
            if self.compress is None:
                await self.ws.send_str(raw.decode())
            else:
                await self.ws.send_bytes(self.compress(raw))

    async def run_pump(self) -> None:
        session = self.session
        assert session is not None
        try:
            while not self.ws.closed:
                self.wake.clear()
                while self.sent_seq < session.seq:
                    event = session.events[self.sent_seq]
                    if event.only_for is None or event.only_for is self:
                        await self.send(
                            {"op": DISPATCH, "t": event.name, "s": event.seq, "d": event.data}
                        )
                    self.sent_seq = event.seq
                await self.wake.wait()
        except (ConnectionResetError, RuntimeError):
            pass


class Gateway:
    """Gateway sessions for the one bot user; tests see counters and can drop connections."""

    def __init__(self, server: FakeDiscord) -> None:
        self.server = server
        self.sessions: dict[str, Session] = {}
        self.connections: set[Connection] = set()
        self.heartbeat_interval_ms = 41_250
        self.resume_window = 120.0
        self.identifies = 0
        self.resumes = 0
        self.invalid_sessions = 0
        self.connects = 0
        self.compressions: list[str | None] = []
        self.close_codes: list[int | None] = []
        self._open = asyncio.Event()
        self._open.set()

    # --- what the server calls --------------------------------------------------------------

    def live_sessions(self) -> list[Session]:
        now = time.monotonic()
        return [
            s
            for s in self.sessions.values()
            if not s.invalid
            and (
                s.connection is not None
                or (s.disconnected_at is not None and now - s.disconnected_at < self.resume_window)
            )
        ]

    def dispatch(
        self,
        name: str,
        data: dict[str, Any],
        *,
        intent: int | None = None,
        without_content: dict[str, Any] | None = None,
    ) -> None:
        """Send (or buffer, for a dropped connection that may RESUME) one event to every session
        whose intents include `intent`; sessions without MESSAGE_CONTENT get `without_content`
        when given."""
        for session in self.live_sessions():
            if intent is None or session.intents & intent:
                if without_content is not None and not session.intents & MESSAGE_CONTENT:
                    session.append(name, without_content)
                else:
                    session.append(name, data)

    @property
    def connected(self) -> bool:
        return any(s.connection is not None for s in self.sessions.values() if not s.invalid)

    async def drop(self, *, code: int = 4000, abrupt: bool = False) -> int:
        """Close every gateway socket (as a network blip would); the client should RESUME."""
        dropped = 0
        for connection in list(self.connections):
            dropped += 1
            if abrupt:
                transport = connection.request.transport
                if transport is not None:
                    transport.abort()
            else:
                with contextlib.suppress(Exception):
                    await connection.ws.close(code=code, message=b"dropped by test")
        return dropped

    def hold(self) -> None:
        """Keep new connections waiting before HELLO (the bot stays off the gateway)."""
        self._open.clear()

    def release(self) -> None:
        self._open.set()

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT, as Discord does before moving a session."""
        for connection in list(self.connections):
            with contextlib.suppress(ConnectionResetError, RuntimeError):
                await connection.send({"op": RECONNECT, "d": None})

    def invalidate_all(self) -> None:
        for session in self.sessions.values():
            session.invalid = True

    async def close(self) -> None:
        for connection in list(self.connections):
            with contextlib.suppress(Exception):
                await connection.ws.close(code=1001, message=b"stand-in stopping")

    # --- the websocket handler ----------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        await self._open.wait()
        wanted = request.query.get("compress")
        compress: _Compressor | None = None
        if wanted == "zlib-stream":
            compress = _zlib_stream()
        elif wanted == "zstd-stream":
            # Without a zstd module here, fall back to text frames, which discord.py reads as is.
            compress = _zstd_stream()
        if request.query.get("encoding", "json") != "json":
            await ws.close(code=4002, message=b"only json encoding is supported")
            return ws
        self.connects += 1
        self.compressions.append(wanted)
        connection = Connection(ws, request, compress)
        self.connections.add(connection)
        try:
            await connection.send(
                {
                    "op": HELLO,
                    "d": {"heartbeat_interval": self.heartbeat_interval_ms},
                    "s": None,
                    "t": None,
                }
            )
            async for message in ws:
                if message.type is not WSMsgType.TEXT:
                    continue
                payload = json.loads(message.data)
                close_code = await self._on_payload(connection, payload)
                if close_code is not None:
                    await ws.close(code=close_code)
                    break
        except (ConnectionResetError, RuntimeError):
            pass
        finally:
            self.connections.discard(connection)
            self.close_codes.append(ws.close_code)
            if connection.pump is not None:
                connection.pump.cancel()
            session = connection.session
            if session is not None and session.connection is connection:
                session.connection = None
                session.disconnected_at = time.monotonic()
            self.server.notify()
        return ws

    async def _on_payload(self, connection: Connection, payload: dict[str, Any]) -> int | None:
        op = payload.get("op")
        data = payload.get("d")
        if op == HEARTBEAT:
            connection.heartbeats += 1
            await connection.send({"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
            return None
        if op == IDENTIFY:
            return await self._identify(connection, data or {})
        if op == RESUME:
            return await self._resume(connection, data or {})
        # presence updates, voice state updates, member requests: accepted and ignored
        return None

    async def _identify(self, connection: Connection, data: dict[str, Any]) -> int | None:
        server = self.server
        if connection.session is not None:
            return 4005  # already authenticated
        if data.get("token") != server.token:
            return 4004
        if "intents" not in data:
            return 4013
        intents = int(data["intents"])
        if intents & PRIVILEGED & ~server.privileged_intents:
            return 4014
        self.identifies += 1
        session = Session(id=session_id(), intents=intents)
        self.sessions[session.id] = session
        ready = server.ready_payload(session.id)
        if "shard" in data:
            ready["shard"] = data["shard"]
        session.append("READY", ready)
        for guild in server.guilds.values():
            session.append("GUILD_CREATE", server.guild_create_payload(guild, intents))
        self._attach(connection, session, sent_seq=0)
        return None

    async def _resume(self, connection: Connection, data: dict[str, Any]) -> int | None:
        if data.get("token") != self.server.token:
            return 4004
        session = self.sessions.get(str(data.get("session_id")))
        seq = data.get("seq") or 0
        if session is None or session not in self.live_sessions() or seq > session.seq:
            self.invalid_sessions += 1
            await asyncio.sleep(0.05)
            await connection.send({"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return None
        old = session.connection
        if old is not None and old is not connection:
            old.session = None
            with contextlib.suppress(Exception):
                await old.ws.close(code=4000)
        self.resumes += 1
        self._attach(connection, session, sent_seq=seq)
        session.append("RESUMED", {}, only_for=connection)
        return None

    def _attach(self, connection: Connection, session: Session, *, sent_seq: int) -> None:
        connection.session = session
        connection.sent_seq = sent_seq
        session.connection = connection
        session.disconnected_at = None
        connection.pump = asyncio.create_task(
            connection.run_pump(), name="fakediscord-gateway-pump"
        )
        self.server.notify()
