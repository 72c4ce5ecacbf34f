"""Run the bot in its own process against the stand-in, exactly as `python -m bot` would:

    python -m tests.fakediscord.launch <rest_base_url> <gateway_url> [bot args...]

patches discord.py's REST base and default gateway URL, then calls `bot.__main__.main(argv)`
and exits with its return code. Settings come from the environment as usual (DISCORD_TOKEN,
DATABASE_PATH, LOG_LEVEL, GUILD_ID). Two optional knobs, for tests only:

* FAKEDISCORD_GUILD_READY_TIMEOUT: seconds discord.py waits for more GUILD_CREATEs before
  `on_ready` (its default is 2.0; unset leaves it alone);
* FAKEDISCORD_MAIN: `module:function` to call instead of `bot.__main__:main` (the stand-in's
  own self-tests use a tiny example bot).
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
from typing import Any

from discord.state import ConnectionState

from .runner import point_discord_at

USAGE = "usage: python -m tests.fakediscord.launch REST_BASE_URL GATEWAY_URL [bot args...]"


def shorten_guild_ready_timeout(seconds: float) -> None:
    """Make every new client default to `guild_ready_timeout=seconds` (unless it sets one)."""
    original = ConnectionState.__init__

    @functools.wraps(original)
    def init(self: ConnectionState, *args: Any, **options: Any) -> None:
        options.setdefault("guild_ready_timeout", seconds)
        original(self, *args, **options)

    ConnectionState.__init__ = init  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2:
        print(USAGE, file=sys.stderr)
        return 2
    rest_url, gateway_url, *bot_args = args
    point_discord_at(rest_url, gateway_url)
    ready_timeout = os.environ.get("FAKEDISCORD_GUILD_READY_TIMEOUT")
    if ready_timeout:
        shorten_guild_ready_timeout(float(ready_timeout))
    module_name, _, function_name = os.environ.get(
        "FAKEDISCORD_MAIN", "bot.__main__:main"
    ).partition(":")
    entry = getattr(importlib.import_module(module_name), function_name or "main")
    return int(entry(bot_args) or 0)


if __name__ == "__main__":
    sys.exit(main())
