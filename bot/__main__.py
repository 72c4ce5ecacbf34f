"""`python -m bot` runs the bot; `python -m bot backup PATH` copies the database.

argv → Settings → logging → run. A bad setting stops it at once with one line and exit
code 2; SIGTERM or Ctrl-C stop it cleanly with exit code 0.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import logging
import signal
import sqlite3
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

import discord

from bot.config import Settings, SettingsError
from bot.db import DatabaseError, backup

log = logging.getLogger("bot")

EXIT_OK, EXIT_FAILED, EXIT_SETTINGS = 0, 1, 2


LOG_FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"
REDACTED = "[token]"


class Redactor:
    """Takes the token out of text: the whole token, and its last part (the secret) alone."""

    def __init__(self, token: str) -> None:
        secret = token.rsplit(".", 1)[-1]
        self.needles = [token] + ([secret] if secret != token and len(secret) >= 8 else [])

    def __call__(self, text: str) -> str:
        for needle in self.needles:
            text = text.replace(needle, REDACTED)
        return text


class RedactingFormatter(logging.Formatter):
    """Formats a record (like `inner`, else in the bot's line format), then takes the token out
    of the whole text: message, arguments, exception, chained causes, traceback source lines
    and stack, however they came to hold it. The exception text it caches on the record is
    redacted too, so other handlers reusing it never see the token."""

    def __init__(self, redact: Redactor, inner: logging.Formatter | None = None) -> None:
        super().__init__(LOG_FORMAT)
        self.redact = redact
        self.inner = inner

    def format(self, record: logging.LogRecord) -> str:
        formatted = self.inner.format(record) if self.inner else super().format(record)
        return self.redact(formatted)

    def formatException(self, ei: Any) -> str:
        return self.redact(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return self.redact(super().formatStack(stack_info))


class RedactingRecords:
    """A log record factory that redacts each record as it is made, for every handler there
    is or will be (pytest's, a library's): its message and arguments, its exception text and
    its stack."""

    def __init__(self, redact: Redactor, make: Callable[..., logging.LogRecord]) -> None:
        self.redact = redact
        # Set up again (tests do): wrap what was there before, not the earlier wrapper.
        self.make: Callable[..., logging.LogRecord] = (
            make.make if isinstance(make, RedactingRecords) else make
        )
        self.exceptions = RedactingFormatter(redact)

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self.make(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: logging itself reports it when it is emitted
            return record
        if self.redact(message) != message:
            record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = self.exceptions.formatException(record.exc_info)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return record


def configure_logging(settings: Settings, *, stream: TextIO | None = None) -> None:
    """One handler on the root logger, writing to `stream` (default stderr). With a token set,
    every line is redacted (see RedactingFormatter), and so are the lines of any handler
    already on another logger (discord.py's, if it set one up), every record as it is made,
    and uncaught exceptions, which are logged instead of printed."""
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level_number)
    logging.getLogger("discord").setLevel(max(settings.log_level_number, logging.INFO))
    logging.getLogger("apscheduler").setLevel(max(settings.log_level_number, logging.WARNING))
    if not settings.discord_token:
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        return
    redact = Redactor(settings.discord_token)
    handler.setFormatter(RedactingFormatter(redact))
    for logger in list(logging.Logger.manager.loggerDict.values()):
        for other in getattr(logger, "handlers", []):
            if not isinstance(other.formatter, RedactingFormatter):
                other.setFormatter(
                    RedactingFormatter(redact, other.formatter or logging.Formatter())
                )
    logging.setLogRecordFactory(RedactingRecords(redact, logging.getLogRecordFactory()))
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_uncaught_in_thread


def _log_uncaught(kind: type[BaseException], error: BaseException, trace: Any) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    log.critical("uncaught exception", exc_info=(kind, error, trace))


def _log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        name = args.thread.name if args.thread else "?"
        log.critical("uncaught exception in thread %s", name, exc_info=args.exc_value)


async def run(settings: Settings, *, force_sync: bool) -> None:
    from bot.client import Bot  # imported here so `backup` needs no Discord wiring

    token = settings.require_token()
    bot = Bot(settings, force_sync=force_sync)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, functools.partial(_stop, bot, sig))
    async with bot:
        await bot.start(token)
    await bot.close()  # returns once the scheduler, the connection and the database are closed
    log.info("stopped cleanly")


def _stop(bot: discord.Client, sig: signal.Signals) -> None:
    log.info("received %s; shutting down", sig.name)
    asyncio.ensure_future(bot.close())  # noqa: RUF006 - close() ends start(), which awaits it


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__.splitlines()[0])
    parser.add_argument("--sync", action="store_true", help="sync slash commands even if unchanged")
    verbs = parser.add_subparsers(dest="verb")
    copy = verbs.add_parser("backup", help="write a consistent copy of the database to PATH")
    copy.add_argument("path", type=Path)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        settings = Settings.load()
        if args.verb == "backup":
            backup(settings.database_path, args.path)
            print(f"backed up {settings.database_path} to {args.path}")
            return EXIT_OK
        settings.require_token()
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_SETTINGS
    except (DatabaseError, sqlite3.Error, OSError) as exc:
        print(f"error: backup failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    configure_logging(settings)
    try:
        asyncio.run(run(settings, force_sync=args.sync))
    except discord.LoginFailure:
        print(
            "error: DISCORD_TOKEN was refused by Discord: reset the token in the Developer "
            "Portal (Applications → your app → Bot) and set the new one.",
            file=sys.stderr,
        )
        return EXIT_SETTINGS
    except SettingsError as exc:  # found while starting: e.g. WEB_PORT in use
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_SETTINGS
    except discord.PrivilegedIntentsRequired:
        print("error: Discord refused the gateway intents the bot asked for.", file=sys.stderr)
        return EXIT_FAILED
    except (DatabaseError, sqlite3.Error) as exc:
        log.error("cannot use the database: %s", exc)
        return EXIT_FAILED
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry()
