"""Running the bot as a separate process (via `launch.py`): start, SIGTERM, SIGKILL, restart."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Self

from .server import FakeDiscord

REPO_ROOT = Path(__file__).resolve().parents[2]


class BotProcess:
    """One bot process at a time; `start()` again after it stopped to restart it (same env,
    so the same DATABASE_PATH). Output goes to `log_path` (see `output()`)."""

    def __init__(
        self,
        server: FakeDiscord,
        *,
        env: Mapping[str, str],
        args: Sequence[str] = (),
        main: str | None = None,
        guild_ready_timeout: float | None = 0.1,
        log_path: Path | None = None,
        cwd: Path = REPO_ROOT,
    ) -> None:
        self.server = server
        self.env = {"DISCORD_TOKEN": server.token, **env}
        if main is not None:
            self.env["FAKEDISCORD_MAIN"] = main
        if guild_ready_timeout is not None:
            self.env["FAKEDISCORD_GUILD_READY_TIMEOUT"] = str(guild_ready_timeout)
        self.args = list(args)
        self.cwd = cwd
        if log_path is None:
            handle, name = tempfile.mkstemp(prefix="fakediscord-bot-", suffix=".log")
            os.close(handle)
            log_path = Path(name)
        self.log_path = log_path
        self.proc: asyncio.subprocess.Process | None = None
        self.starts = 0

    @property
    def returncode(self) -> int | None:
        return None if self.proc is None else self.proc.returncode

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.returncode is None

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    async def start(
        self,
        *,
        wait_connected: bool = True,
        wait_for_commands: bool = True,
        timeout: float = 30.0,  # noqa: ASYNC109
    ) -> Self:
        """Spawn the process; by default wait until it IDENTIFYs and holds a gateway connection,
        and (if `wait_for_commands`) until the stand-in knows some commands."""
        if self.running:
            raise RuntimeError("the bot process is already running")
        identified = self.server.gateway.identifies
        environment = {**os.environ, **self.env, "PYTHONUNBUFFERED": "1"}
        environment["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(self.cwd), environment.get("PYTHONPATH", "")) if p
        )
        with self.log_path.open("a") as log:
            log.write(f"--- start {self.starts + 1} ---\n")
            log.flush()
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tests.fakediscord.launch",
                self.server.rest_url,
                self.server.gateway_url,
                *self.args,
                cwd=self.cwd,
                env=environment,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
            )
        self.starts += 1
        if wait_connected:

            def up_or_exited() -> bool:
                if not self.running:
                    return True
                connected = (
                    self.server.gateway.identifies > identified and self.server.gateway.connected
                )
                return connected and (bool(self.server.commands) or not wait_for_commands)

            try:
                await self.server.wait_for(up_or_exited, timeout)
            except TimeoutError:
                raise TimeoutError(
                    f"the bot process did not connect within {timeout}s:\n{self.output()}"
                ) from None
            if not self.running:
                raise RuntimeError(
                    f"the bot process exited with {self.returncode}:\n{self.output()}"
                )
        return self

    async def wait(self, timeout: float = 15.0) -> int:  # noqa: ASYNC109
        assert self.proc is not None
        try:
            return await asyncio.wait_for(self.proc.wait(), timeout)
        except TimeoutError:
            raise TimeoutError(
                f"the bot process did not exit within {timeout}s:\n{self.output()}"
            ) from None

    async def terminate(self, timeout: float = 15.0) -> int:  # noqa: ASYNC109
        """SIGTERM, then wait for the exit code."""
        return await self._signal(signal.SIGTERM, timeout)

    async def kill(self, timeout: float = 15.0) -> int:  # noqa: ASYNC109
        """SIGKILL: no cleanup at all, like a power cut."""
        return await self._signal(signal.SIGKILL, timeout)

    async def _signal(self, sig: signal.Signals, within: float) -> int:
        assert self.proc is not None
        if self.proc.returncode is None:
            self.proc.send_signal(sig)
        return await self.wait(within)

    async def stop(self) -> None:
        """For teardown: SIGTERM, and SIGKILL if that didn't end it."""
        if not self.running:
            return
        try:
            await self.terminate(timeout=10.0)
        except TimeoutError:
            await self.kill()
