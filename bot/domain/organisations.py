"""Organisations as records: one body, however its name is typed.

An organisation has a name, an optional Welsh name and aliases. A typed name matches a
record when its `match_key` equals the key of any of these: case, spacing and punctuation
are ignored ("Cardiff Council", "cardiff  council", "Cardiff-Council." are one key).
Migration 0022 computes the same key in SQL from the older `org_key` (NFKC, casefolded,
spaces folded) by deleting the characters of `PUNCTUATION` and the spaces, so the set here
and the replace() chain there must stay the same (tests/domain/test_organisations.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain.errors import UserError
from bot.domain.events import clean_line

NAME_MAX = 100
ALIASES_MAX = 20
PAGE_SIZE = 20

# Deleted from a name before matching; migration 0022 deletes exactly these (and spaces).
PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~‘’‚‛“”„‐‑‒–—―…·•′″«»¡¿"

_DROP = str.maketrans("", "", PUNCTUATION)
_MENTION = re.compile(r"<(@[!&]?|#)\d+>|@(everyone|here)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Organisation:
    id: int
    guild_id: int
    name: str
    welsh_name: str | None = None
    aliases: tuple[str, ...] = ()

    def shown(self, language: str) -> str:
        """The name a reader sees: the Welsh name in Welsh where there is one."""
        return shown_name(self.name, self.welsh_name, language)

    def names(self) -> list[str]:
        """Every spelling this record answers to: name, Welsh name, aliases."""
        return [self.name, *([self.welsh_name] if self.welsh_name else []), *self.aliases]


@dataclass(frozen=True)
class OrganisationCount:
    organisation: Organisation
    members: int  # network list members who gave it


@dataclass(frozen=True)
class OrganisationPage:
    rows: tuple[OrganisationCount, ...]
    page: int  # 1-based
    pages: int
    total: int


@dataclass(frozen=True)
class Merged:
    """What a merge moved from one record into another."""

    from_name: str
    into: Organisation
    members: int
    signatures: int
    events: int
    series: int
    letter_posts: tuple[tuple[int, int, int | None], ...]  # (letter, channel, message) to redraw
    event_posts: tuple[tuple[int, int, int | None], ...] = ()  # (event, channel, message) too


def shown_name(name: str, welsh_name: str | None, language: str) -> str:
    return welsh_name if language == "cy" and welsh_name else name


def match_key(text: str) -> str:
    """The key two spellings of one organisation share: compatibility forms folded, case
    folded, spaces and punctuation dropped. Empty when nothing but those was typed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(folded.translate(_DROP).split())


def clean_organisation_name(value: str | None, field: str = "organisation") -> str:
    """A typed organisation name, checked: not empty, not only punctuation, at most 100
    characters, no mention. Refusals name the rule (bot.text.ERRORS)."""
    text = clean_line(value, field, NAME_MAX)
    if text is None:
        raise UserError("organisation_empty", field=field)
    if _MENTION.search(text):
        raise UserError("organisation_mention", field=field)
    if not match_key(text):
        raise UserError("organisation_punctuation", field=field)
    return text


def clean_optional_organisation(value: str | None) -> str | None:
    """An organisation a member may leave out (a signature's): nothing that would show is
    none; anything else is checked as `clean_organisation_name` checks it."""
    if clean_line(value, "organisation", NAME_MAX) is None:
        return None
    return clean_organisation_name(value)


def is_organisation_name(text: str) -> bool:
    """Whether free text kept as typed (an event's host, a rota's host) can stand for an
    organisation record: what `clean_organisation_name` would accept."""
    try:
        clean_organisation_name(text)
    except UserError:
        return False
    return True


def parse_aliases(value: str) -> tuple[str, ...]:
    """A comma-separated list of other spellings; blanks dropped, repeats (by key) once.
    A lone `-` clears them."""
    if value.strip() == "-":
        return ()
    seen: dict[str, str] = {}
    for part in value.split(","):
        if not part.strip():
            continue
        alias = clean_organisation_name(part, "aliases")
        seen.setdefault(match_key(alias), alias)
    if len(seen) > ALIASES_MAX:
        raise UserError("organisation_aliases_too_many", limit=ALIASES_MAX)
    return tuple(seen.values())


def name_keys(name: str, welsh_name: str | None, aliases: Iterable[str]) -> dict[str, str]:
    """Each key a record answers to, with the spelling it came from (first one wins)."""
    keys: dict[str, str] = {}
    for spelling in [name, *([welsh_name] if welsh_name else []), *aliases]:
        keys.setdefault(match_key(spelling), spelling)
    return keys


def check_merge(from_id: int, into_id: int) -> None:
    if from_id == into_id:
        raise UserError("organisation_merge_itself")


def pages_for(total: int, size: int = PAGE_SIZE) -> int:
    return max(1, -(-total // size))
