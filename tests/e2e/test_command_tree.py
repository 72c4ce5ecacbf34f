"""The command tree as Discord sees it (names, descriptions, options, their types, choices,
autocomplete, permissions) is the snapshot in command_tree.json: a change to what members
see fails here until the snapshot is written again on purpose, with

    UPDATE_COMMAND_TREE=1 .venv/bin/pytest tests/e2e/test_command_tree.py

and the difference read in the diff."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).with_name("command_tree.json")


def as_discord_sees_it(bot: Any) -> str:
    payload = [command.to_dict(bot.tree) for command in bot.tree.get_commands()]
    return json.dumps(payload, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


async def test_the_command_tree_is_the_snapshot(bot_app: Any) -> None:
    tree = as_discord_sees_it(bot_app)
    if os.environ.get("UPDATE_COMMAND_TREE") == "1":
        SNAPSHOT.write_text(tree, encoding="utf-8")
    assert tree == SNAPSHOT.read_text(encoding="utf-8")
