"""Options that name a stored event or letter. Discord sees a string with autocomplete; the
command receives the stored thing, resolved from the id a choice sends or an exact title
typed by hand (a bad one is answered like any member's mistake, before the command runs).

`AnyEvent` offers every event, the latest first once the upcoming ones are listed;
`OpenEvent` only those still ahead and not cancelled; `AnyLetter` every letter,
`OpenLetter` those still open for signing."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

import discord
from discord import app_commands
from discord.app_commands import Choice

from bot.domain.events import Event
from bot.domain.letters import Letter
from bot.domain.polls import Poll
from bot.render.common import CHOICE_NAME_MAX, clip
from bot.render.events import choice_label as event_choice
from bot.render.letters import choice_label as letter_choice
from bot.render.polls import choice_label as poll_choice
from cogs.common import guild_id_of

if TYPE_CHECKING:
    from bot.client import Bot


def _bot(interaction: discord.Interaction) -> Bot:
    return interaction.client  # type: ignore[return-value]


class EventRef(app_commands.Transformer):
    """An `event` option: upcoming events (or, with `everything`, every event) offered,
    soonest first. With `blank_is_none`, an empty option means none (all upcoming)."""

    def __init__(self, *, everything: bool, blank_is_none: bool = False) -> None:
        self.everything, self.blank_is_none = everything, blank_is_none

    async def autocomplete(  # type: ignore[override]  # choices carry the id as a string
        self, interaction: discord.Interaction, value: str, /
    ) -> list[Choice[str]]:
        bot, guild_id = _bot(interaction), guild_id_of(interaction)
        settings = await bot.guild_service.settings(guild_id)
        events = await bot.event_service.suggest(
            guild_id, value, include_past=self.everything, include_cancelled=self.everything
        )
        return [Choice(name=event_choice(e, settings.tz), value=str(e.id)) for e in events]

    async def transform(self, interaction: discord.Interaction, value: str, /) -> Event | None:
        if self.blank_is_none and value == "":
            return None
        return await _bot(interaction).event_service.resolve(guild_id_of(interaction), value)


class LetterRef(app_commands.Transformer):
    """A `letter` option: letters (or, with `open_only`, the open ones) offered, newest first."""

    def __init__(self, *, open_only: bool) -> None:
        self.open_only = open_only

    async def autocomplete(  # type: ignore[override]  # choices carry the id as a string
        self, interaction: discord.Interaction, value: str, /
    ) -> list[Choice[str]]:
        bot = _bot(interaction)
        letters = await bot.letter_service.suggest(
            guild_id_of(interaction), value, open_only=self.open_only
        )
        now = bot.clock()
        return [Choice(name=letter_choice(letter, now), value=str(letter.id)) for letter in letters]

    async def transform(self, interaction: discord.Interaction, value: str, /) -> Letter:
        return await _bot(interaction).letter_service.resolve(guild_id_of(interaction), value)


class PollRef(app_commands.Transformer):
    """A `poll` option: the server's date polls offered, open ones first, newest first."""

    async def autocomplete(  # type: ignore[override]  # choices carry the id as a string
        self, interaction: discord.Interaction, value: str, /
    ) -> list[Choice[str]]:
        bot = _bot(interaction)
        polls = await bot.poll_service.suggest(guild_id_of(interaction), value)
        now = bot.clock()
        return [Choice(name=poll_choice(poll, now), value=str(poll.id)) for poll in polls]

    async def transform(self, interaction: discord.Interaction, value: str, /) -> Poll:
        return await _bot(interaction).poll_service.resolve(guild_id_of(interaction), value)


if TYPE_CHECKING:
    AnyEvent: TypeAlias = Event
    OpenEvent: TypeAlias = Event
    EventOrAll: TypeAlias = Event  # written `EventOrAll | None`: blank means every upcoming
    AnyLetter: TypeAlias = Letter
    OpenLetter: TypeAlias = Letter
    AnyPoll: TypeAlias = Poll
else:
    AnyEvent = app_commands.Transform[Event, EventRef(everything=True)]
    OpenEvent = app_commands.Transform[Event, EventRef(everything=False)]
    EventOrAll = app_commands.Transform[Event, EventRef(everything=True, blank_is_none=True)]
    AnyLetter = app_commands.Transform[Letter, LetterRef(open_only=False)]
    OpenLetter = app_commands.Transform[Letter, LetterRef(open_only=True)]
    AnyPoll = app_commands.Transform[Poll, PollRef()]


async def series_choices(interaction: discord.Interaction, current: str) -> list[Choice[str]]:
    """Autocomplete of a `series` option (an id as the value; the service reads a name too)."""
    found = await _bot(interaction).series_service.suggest(guild_id_of(interaction), current)
    return [Choice(name=clip(s.name, CHOICE_NAME_MAX), value=str(s.id)) for s in found]
