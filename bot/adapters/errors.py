"""The one place errors are answered: a member's mistake gets its sentence, privately;
anything else is logged with a short reference and the member gets an apology with it."""

from __future__ import annotations

import functools
import logging
import secrets
import sqlite3
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot import text
from bot.domain.errors import UserError
from bot.i18n import Voice, said, set_voice, tr
from bot.render.common import safe

log = logging.getLogger(__name__)

UNKNOWN_INTERACTION = 10062  # Discord's code for an interaction answered after its window


def unwrap(error: BaseException) -> BaseException:
    while True:
        if isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError):
            inner = error.__cause__ or getattr(error, "original", None)
            if inner is None or inner is error:
                return error
            error = inner
        else:
            return error


# Refusal params that are the bot's own markup (a channel or role mention) or words (the name
# of a field, put in the reader's language by `in_words`), not member text.
MARKUP_PARAMS = frozenset({"channel", "role", "field"})


def shown_params(params: Mapping[str, object]) -> dict[str, object]:
    """A refusal's params with member text (what was typed, a title, a name) shown as typed."""
    return {
        key: safe(value) if isinstance(value, str) and key not in MARKUP_PARAMS else value
        for key, value in params.items()
    }


def message_for(error: BaseException) -> str:
    """The private sentence for an error, in each of the member's languages; logs the
    unexpected ones with a reference."""
    error = unwrap(error)
    key, params = _refusal(error)
    if key is None:
        code = secrets.token_hex(3)
        log.error("unexpected error [%s]", code, exc_info=error)
        return said(lambda: tr(text.INTERNAL_ERROR, code=code))
    return said(lambda: tr(text.ERRORS[key], **in_words(key, params)))


def in_words(key: str, params: Mapping[str, object]) -> dict[str, object]:
    """A refusal's params that the domain gives as data, in the words of the language being
    rendered: too_long's `field` by its name (text.FIELD_NAMES), a list of what was typed
    (`same`: "`1d` and `24h`") joined with that language's "and"."""
    worded = dict(params)
    field = worded.get("field")
    if key == "too_long" and isinstance(field, str) and field in text.FIELD_NAMES:
        worded["field"] = tr(text.FIELD_NAMES[field])
    same = worded.get("same")
    if isinstance(same, tuple | list):
        shown = [safe(f"`{piece}`") for piece in same]
        last = shown.pop() if shown else ""
        worded["same"] = tr(text.AND_LIST, items=", ".join(shown), last=last) if shown else last
    return worded


def _refusal(error: BaseException) -> tuple[str | None, dict[str, object]]:
    """The ERRORS key (and params) an error is answered with; None for a fault of ours."""
    if isinstance(error, UserError):
        return error.key, shown_params(error.params)
    if isinstance(error, app_commands.NoPrivateMessage):
        return "guild_only", {}
    if isinstance(error, sqlite3.OperationalError):
        message = str(error).lower()
        if "locked" in message or "busy" in message:
            log.warning("database busy: %s", error)
            return "database_busy", {}
        if "readonly" in message or "read-only" in message:
            log.error("database is read-only: %s", error)
            return "database_readonly", {}
    return None, {}


def _too_late(error: BaseException) -> bool:
    return isinstance(error, discord.NotFound) and error.code == UNKNOWN_INTERACTION


async def answer_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Tell the member, privately, whatever state the interaction's answer is in."""
    if _too_late(unwrap(error)):
        # Discord no longer knows the interaction (its 3 s to answer ran out): there is no one
        # to tell; the member sees "did not respond" and can simply try again.
        log.warning("interaction %d came too late to answer (its 3 s ran out)", interaction.id)
        return
    message = message_for(error)
    if interaction.client.is_closed():
        log.info("not answering an error: the bot is shutting down")
        return
    try:
        if interaction.type is discord.InteractionType.autocomplete:
            if not interaction.response.is_done():
                await interaction.response.autocomplete([])
            return
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True)
        else:
            await interaction.response.send_message(message, ephemeral=True)
    except discord.HTTPException as exc:
        log.warning("could not tell a member about an error (%s): %s", exc.status, exc.text)
    except RuntimeError as exc:  # the HTTP session closed under us during shutdown
        log.info("could not tell a member about an error: %s", exc)


async def speak_to(interaction: discord.Interaction) -> None:
    """Answer this interaction in the member's language: their choice, else the server's
    mode (bot.i18n.Voice), for the rest of the task that handles it. Looked up once per
    interaction (kept in `extras`)."""
    found = interaction.extras.get("voice")
    if not isinstance(found, Voice):
        languages = getattr(interaction.client, "language_service", None)
        if languages is None:
            return
        found = await languages.voice(interaction.guild_id, interaction.user.id)
        interaction.extras["voice"] = found
    set_voice(found)


async def admitted(interaction: discord.Interaction) -> bool:
    """Whether the member may go on: not over the rate limit (bot.adapters.gate.RateGate,
    which tells them privately when they are). Asked before every command, button, select
    and form is handled; asking again for the same interaction repeats the first answer.
    First it sets the language the answer is in (`speak_to`)."""
    await speak_to(interaction)
    gate = getattr(interaction.client, "rate_gate", None)
    return True if gate is None else bool(await gate.admit(interaction))


class Tree(app_commands.CommandTree[Any]):
    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        return await admitted(interaction)  # autocomplete passes: it is never limited

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await answer_error(interaction, error)


class BotView(discord.ui.View):
    """A view whose clicks pass the rate gate and whose callbacks' errors are answered like
    commands' errors. Subclasses say who may use them in `allowed`, not `interaction_check`."""

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        return await admitted(interaction) and await self.allowed(interaction)

    async def allowed(self, interaction: discord.Interaction) -> bool:
        """Whether this member may use the view (after the rate gate let them through)."""
        return True

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await answer_error(interaction, error)


F = TypeVar("F", bound=Callable[..., Awaitable[Any]])


def guarded(callback: F) -> F:
    """For dynamic items' callbacks (and forms answered by a listener), which no view or tree
    checks: they pass the rate gate first, and their errors, which discord.py would only log,
    are answered."""

    @functools.wraps(callback)
    async def wrapper(self: Any, interaction: discord.Interaction, *args: Any) -> Any:
        try:
            if not await admitted(interaction):
                return None
            return await callback(self, interaction, *args)
        except Exception as error:
            await answer_error(interaction, error)
            return None

    return wrapper  # type: ignore[return-value]
