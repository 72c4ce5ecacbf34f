"""The Welsh of a catalogue sentence, for tests that check what a Welsh reader sees."""

from __future__ import annotations

from bot.i18n import Language, gettext, translate


def welsh(msgid: str, **params: object) -> str:
    """The sentence in Welsh: filled with `params` when given, else as the catalogue has it."""
    if params:
        return translate(Language.CY, msgid, **params)
    return gettext(Language.CY, msgid)
