"""What an option naming a stored thing (an event, a letter, a series) may hold: the id an
autocomplete choice sends, or the thing's exact title typed by hand. One rule for all of
them; the lookups are handed in, so this module does no I/O of its own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from bot.domain.errors import UserError

ID_DIGITS_MAX = 18  # every id fits SQLite's signed 64-bit INTEGER


class Owned(Protocol):
    @property
    def guild_id(self) -> int: ...


T = TypeVar("T", bound=Owned)
T_co = TypeVar("T_co", bound=Owned, covariant=True)


class Findable(Protocol[T_co]):
    """Where things of one kind are looked up (a store)."""

    async def get(self, item_id: int, /) -> T_co | None: ...

    async def find_by_title(self, guild_id: int, title: str, /) -> Sequence[T_co]:
        """Those titled exactly `title`, ignoring case: at most two (two are enough to
        know it is ambiguous)."""
        ...


def ref_id(typed: str) -> int | None:
    """The id in `typed` when it is one: plain ASCII digits, short enough to be stored."""
    if typed.isdecimal() and typed.isascii() and len(typed) <= ID_DIGITS_MAX:
        return int(typed)
    return None


async def find_ref(guild_id: int, text: str, where: Findable[T], kind: str) -> T:
    """The one `kind` (event, letter, series) of this server that `text` names: its id,
    else its title. Raises `{kind}_not_found` or, when two share the title,
    `{kind}_ambiguous`, both with what was typed."""
    typed = text.strip()
    number = ref_id(typed)
    if number is not None:
        found = await where.get(number)
        if found is not None and found.guild_id == guild_id:
            return found
    matches = await where.find_by_title(guild_id, typed) if typed else []
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise UserError(f"{kind}_ambiguous", text=typed[:100])
    raise UserError(f"{kind}_not_found", text=typed[:100])
