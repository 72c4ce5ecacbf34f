"""The bot's two languages, as choices: a member's (`Language`) and a server's (`Mode`), and
who reads what. The catalogues and rendering are bot.i18n's."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Language(StrEnum):
    """A member's language."""

    EN = "en"
    CY = "cy"

    @classmethod
    def parse(cls, value: str | None) -> Language | None:
        """`cy`/`en` (any case, or the languages' own names); None for anything else."""
        if value is None:
            return None
        key = value.strip().lower()
        key = {"cymraeg": "cy", "welsh": "cy", "english": "en", "saesneg": "en"}.get(key, key)
        return cls(key) if key in cls._value2member_map_ else None


class Mode(StrEnum):
    """A server's language: of its public posts and for members who have not chosen."""

    EN = "en"
    CY = "cy"
    BILINGUAL = "bilingual"

    @classmethod
    def parse(cls, value: str | None) -> Mode | None:
        if value is None:
            return None
        key = value.strip().lower()
        key = {"dwyieithog": "bilingual", "both": "bilingual"}.get(key, key)
        return cls(key) if key in cls._value2member_map_ else None

    @property
    def languages(self) -> tuple[Language, ...]:
        """The languages a post in this mode carries, in order: Welsh first."""
        if self is Mode.BILINGUAL:
            return (Language.CY, Language.EN)
        return (Language(self.value),)


def languages_for(member: Language | None, mode: Mode) -> tuple[Language, ...]:
    """What a private reply to `member` is in: their choice, else the server's mode."""
    return (member,) if member is not None else mode.languages


@dataclass(frozen=True)
class Voice:
    """Who the bot is talking to: the languages of a reply to them (Welsh first when both)
    and the server's zone, for dates in Welsh words."""

    languages: tuple[Language, ...] = (Language.EN,)
    zone: str = "Europe/London"
