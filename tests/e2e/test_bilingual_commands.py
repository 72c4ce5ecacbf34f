"""The command surface as Discord sees it (what the bot synced), in both languages: every
command's, group's and option's description and every choice's name is "Cymraeg · English",
Welsh first, from bot/text.py and its catalogue, within Discord's 100 characters."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bot import text
from bot.adapters.commands import AS_NAMED
from bot.i18n import BOTH_INLINE, Catalogue, Language
from tests.fakediscord import FakeDiscord

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
WELSH = Catalogue.load(Language.CY)


def described(server: FakeDiscord) -> Iterator[tuple[str, str, str]]:
    """(path, what, shown) for every description and choice name of the synced commands."""

    def walk(node: dict[str, Any], path: str) -> Iterator[tuple[str, str, str]]:
        yield path, "description", node["description"]
        for choice in node.get("choices") or []:
            yield path, "choice", choice["name"]
        for option in node.get("options") or []:
            yield from walk(option, f"{path} {option['name']}")

    for command in server.commands.values():
        if command.type == 1:
            yield from walk(command.data, command.name)


def paths(server: FakeDiscord) -> set[str]:
    return {path for path, what, _ in described(server) if what == "description"}


def split(shown: str) -> tuple[str, str]:
    welsh, sep, english = shown.partition(BOTH_INLINE)
    return (welsh, english) if sep else (shown, shown)


@pytest.mark.usefixtures("bot_app")
async def test_every_description_and_choice_is_welsh_then_english(
    discord_server: FakeDiscord,
) -> None:
    seen = list(described(discord_server))
    assert len(seen) > 100  # the whole tree, not a part of it
    wrong = []
    for path, what, shown in seen:
        welsh, english = split(shown)
        expected = WELSH.get(english)
        if not 1 <= len(shown) <= 100 or "…" in shown:
            wrong.append((path, what, shown, "length"))
        elif what == "choice" and path in AS_NAMED:
            continue  # languages by their own names ("Cymraeg", "English"), as the cog says
        elif expected is None:
            wrong.append((path, what, shown, "no Welsh in the catalogue"))
        elif welsh != expected:
            wrong.append((path, what, shown, f"Welsh should be {expected!r}"))
        elif welsh == english and BOTH_INLINE in shown:
            wrong.append((path, what, shown, "the same words twice"))
    assert wrong == []
    # Some Welsh really differs from its English (the catalogue is not English copied).
    assert sum(split(shown)[0] != split(shown)[1] for _, _, shown in seen) > 100


@pytest.mark.usefixtures("bot_app")
async def test_every_command_and_option_has_its_english_in_text(
    discord_server: FakeDiscord,
) -> None:
    synced = paths(discord_server)
    assert synced - set(text.COMMANDS) == set()  # no description left only in a cog
    assert set(text.COMMANDS) - synced == set()  # and none for a command that is gone
    for path, shown in (
        (p, s) for p, what, s in described(discord_server) if what == "description"
    ):
        assert split(shown)[1] == text.COMMANDS[path]


@pytest.mark.usefixtures("bot_app")
async def test_the_choices_are_named_in_both_languages(discord_server: FakeDiscord) -> None:
    choices = {
        path: [
            name for p, what, name in described(discord_server) if p == path and what == "choice"
        ]
        for path in ("setup digest day", "events create region", "events create kind")
    }
    assert choices["setup digest day"][0] == "dydd Llun · Monday"
    assert "Gogledd Cymru · North Wales" in choices["events create region"]
    assert "Cyfarfod · Meeting" in choices["events create kind"]
    export = [
        n
        for p, what, n in described(discord_server)
        if p == "letter export format" and what == "choice"
    ]
    assert export == ["Markdown", "CSV"]  # the same in Welsh: given once
