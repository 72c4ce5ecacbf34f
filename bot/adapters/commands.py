"""The command surface in both languages: Discord has no Welsh locale, so every command's,
group's and option's description and every choice's name is "Cymraeg · English".

The English lives in `bot/text.py`: `COMMANDS` by the command's path ("events create", an
option "events create when"), choice names in their own dicts (KIND_NAMES, REGION_NAMES,
DAY_NAMES, FORMAT_NAMES); the Welsh is the catalogue's. `bilingual_commands(tree)` rewrites
the tree once its cogs are loaded, before it is synced: a description the cogs give in code
is only a stand-in for a path `COMMANDS` lacks (tests/e2e/test_bilingual_commands.py fails
on such a path). Discord refuses more than 100 characters: a longer pair is cut, and logged.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from discord import app_commands
from discord.app_commands import Choice

from bot import text
from bot.i18n import Language, gettext, inline
from bot.render.common import clip

log = logging.getLogger(__name__)

LIMIT = 100  # Discord's most for a description or a choice's name
# Options whose choices the cogs name in their own languages already ("Cymraeg", "English").
AS_NAMED = frozenset({"language language", "setup language mode"})


def bilingual(english: str) -> str:
    """ "Cymraeg · English" (once when the two are the same), at most 100 characters."""
    both = inline((gettext(Language.CY, english), english))
    if len(both) > LIMIT:
        log.warning("a bilingual description is over %d characters: %r", LIMIT, both)
        both = clip(both, LIMIT)
    return both


def english_of(path: str, given: str) -> str:
    """The English of the command or option at `path`: bot/text.py's, else the code's."""
    return text.COMMANDS.get(path, given)


def bilingual_commands(tree: app_commands.CommandTree[Any]) -> None:
    """Every description and choice name of the tree's commands in both languages."""
    for command in tree.get_commands():
        if isinstance(command, app_commands.Command | app_commands.Group):
            _rewrite(command)


def _rewrite(command: app_commands.Command[Any, ..., Any] | app_commands.Group) -> None:
    path = command.qualified_name
    command.description = bilingual(english_of(path, str(command.description)))
    if isinstance(command, app_commands.Group):
        for child in command.commands:
            _rewrite(child)
        return
    # The cogs' copies share their parameters with the class's command: replace, not mutate.
    for name, parameter in list(command._params.items()):
        choices = None if f"{path} {name}" in AS_NAMED else parameter.choices
        command._params[name] = replace(
            parameter,
            description=bilingual(english_of(f"{path} {name}", str(parameter.description))),
            choices=[Choice(name=bilingual(c.name), value=c.value) for c in choices]
            if choices
            else parameter.choices,
        )
