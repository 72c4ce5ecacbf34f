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
from pathlib import Path

import discord

from bot.config import Settings, SettingsError
from bot.db import DatabaseError, backup

log = logging.getLogger("bot")

EXIT_OK, EXIT_FAILED, EXIT_SETTINGS = 0, 1, 2


class RedactToken(logging.Filter):
    """Belt and braces: the token never reaches a log line, whoever logs it."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "[token]"), None
        return True


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-8s %(name)s: %(message)s"))
    if settings.discord_token:
        handler.addFilter(RedactToken(settings.discord_token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level_number)
    logging.getLogger("discord").setLevel(max(settings.log_level_number, logging.INFO))
    logging.getLogger("apscheduler").setLevel(max(settings.log_level_number, logging.WARNING))


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
