"""The token never leaks into the log (issue 15): through the bot's real logging setup
(`bot.__main__.configure_logging`), a token in a message, in its arguments, in an exception's
text, in a chained cause, in a traceback's source line, in a stack, in discord.py's loggers
(with or without handlers of their own) or in an uncaught exception is written as "[token]"."""

from __future__ import annotations

import io
import linecache
import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.__main__ import configure_logging
from bot.config import Settings

TOKEN = "MTQwMDAwMDAwMDAwMDAwMDAw.R2Zha2U.stand-in-secret-for-the-log-test"
SECRET = TOKEN.rsplit(".", 1)[1]


@pytest.fixture
def logging_restored() -> Iterator[None]:
    """Put back what configure_logging changes, so other tests keep pytest's capture."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    discord_logger = logging.getLogger("discord")
    discord_handlers, discord_level = discord_logger.handlers[:], discord_logger.level
    factory = logging.getLogRecordFactory()
    hooks = sys.excepthook, threading.excepthook
    yield
    root.handlers[:], root.level = handlers, level
    discord_logger.handlers[:] = discord_handlers
    discord_logger.setLevel(discord_level)
    logging.setLogRecordFactory(factory)
    sys.excepthook, threading.excepthook = hooks


def settings(tmp_path: Path, level: str = "DEBUG") -> Settings:
    return Settings.load(
        {
            "DISCORD_TOKEN": TOKEN,
            "DATABASE_PATH": str(tmp_path / "bot.sqlite3"),
            "LOG_LEVEL": level,
        },
        env_file=None,
    )


def leaky_source(name: str) -> str:
    """A module whose source line holds the token, as a traceback would print it."""
    source = f"raise KeyError('the token {TOKEN} in a source line')\n"
    linecache.cache[name] = (len(source), None, [source], name)
    return source


def raise_with_the_token() -> None:
    name = "<leaky module>"
    try:
        exec(compile(leaky_source(name), name, "exec"))  # the test's own code
    except KeyError as cause:
        raise RuntimeError(f"Discord refused Bot {TOKEN}") from cause


@pytest.mark.usefixtures("logging_restored")
def test_the_token_never_reaches_the_log_whatever_carries_it(tmp_path: Path) -> None:
    # A handler of discord.py's own (as discord.utils.setup_logging would add), set up first.
    own = io.StringIO()
    logging.getLogger("discord").addHandler(logging.StreamHandler(own))
    out = io.StringIO()
    configure_logging(settings(tmp_path), stream=out)

    try:
        raise_with_the_token()
    except RuntimeError:
        logging.getLogger("bot.adapters.errors").exception(
            "unexpected error [abc123] for %s", TOKEN
        )
    logging.getLogger("discord.http").warning("sending Authorization: Bot %s", TOKEN)
    logging.getLogger("discord.gateway").info("%(token)s", {"token": TOKEN})
    logging.getLogger("discord.client").error(f"inline {TOKEN}", stack_info=True)
    logging.getLogger("apscheduler").warning("secret part alone: %s", SECRET)
    try:
        raise_with_the_token()
    except RuntimeError:
        sys.excepthook(*sys.exc_info())  # what an uncaught exception prints

    for output in (out.getvalue(), own.getvalue()):
        assert TOKEN not in output
        assert SECRET not in output
        assert "[token]" in output
    logged = out.getvalue()
    assert "Traceback" in logged and "KeyError" in logged and "RuntimeError" in logged
    assert "in a source line" in logged  # the source line is shown, without the token
    assert "unexpected error [abc123]" in logged and "Stack (most recent call last)" in logged


@pytest.mark.usefixtures("logging_restored")
def test_records_are_redacted_for_every_handler(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    configure_logging(settings(tmp_path), stream=io.StringIO())
    logging.getLogger().addHandler(caplog.handler)  # a handler added after the set-up
    caplog.set_level(logging.INFO)
    logging.getLogger("discord.http").warning("token %s", TOKEN)
    try:
        raise_with_the_token()
    except RuntimeError:
        logging.getLogger("bot").exception("failed")
    assert TOKEN not in caplog.text and SECRET not in caplog.text
    assert all(TOKEN not in record.getMessage() for record in caplog.records)


@pytest.mark.usefixtures("logging_restored")
def test_ordinary_lines_are_unchanged(tmp_path: Path) -> None:
    out = io.StringIO()
    configure_logging(settings(tmp_path, "INFO"), stream=out)
    logging.getLogger("bot").info("event %d cancelled by %d: %s", 4, 7, "Rain")
    logging.getLogger("bot").debug("not shown at INFO")
    [line] = out.getvalue().splitlines()
    assert line.endswith("INFO     bot: event 4 cancelled by 7: Rain")
