"""A count sentence of bot/i18n/plurals.py as each language says it, for tests that check
what a reader sees ("1 member", "3 members"; "2 ddigwyddiad arall")."""

from __future__ import annotations

from bot.i18n import Language, ngettext
from bot.i18n.plurals import PLURALS


def english_count(name: str, count: int, **params: object) -> str:
    """The English, worked out here (singular for 1, else plural), not by the bot."""
    one, many = PLURALS[name]
    return (one if count == 1 else many).format(count=count, **params)


def welsh_count(name: str, count: int, **params: object) -> str:
    """The Welsh: the catalogue's form for `count` (six plural forms)."""
    one, many = PLURALS[name]
    return ngettext(Language.CY, one, many, count, **params)
