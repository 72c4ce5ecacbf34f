"""/help in the member's language: every line of the embed is the catalogue's, so a Welsh
reader gets all of it in Welsh, naming the same commands as the English."""

from __future__ import annotations

import re

import discord

from bot.i18n import Language, speaking
from bot.render.guilds import help_embed

COMMAND = re.compile(r"`(/[a-z-]+(?: [a-z-]+)?)")


def texts(embed: discord.Embed) -> list[str]:
    shown = [embed.title or "", embed.description or "", embed.footer.text or ""]
    for field in embed.fields:
        shown += [field.name or "", field.value or ""]
    return shown


def test_help_is_wholly_welsh_for_a_welsh_reader() -> None:
    with speaking(Language.CY):
        welsh = texts(help_embed())
    with speaking(Language.EN):
        english = texts(help_embed())
    assert len(welsh) == len(english) > 10
    same = [w for w, e in zip(welsh, english, strict=True) if w == e]
    # Only the bot's name and the section that is already in both languages stay as they are.
    assert set(same) <= {"Co-pro Network Bot", "Cymraeg a Saesneg"}, same
    assert "For everyone" not in welsh and "Server managers" not in "\n".join(welsh)


def test_welsh_help_names_the_same_commands() -> None:
    with speaking(Language.CY):
        welsh = set(COMMAND.findall("\n".join(texts(help_embed()))))
    with speaking(Language.EN):
        english = set(COMMAND.findall("\n".join(texts(help_embed()))))
    assert english and welsh == english
