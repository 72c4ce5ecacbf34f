"""The one place errors are answered: a member's mistake gets its sentence, privately;
anything else is logged with a short reference and the member gets an apology with it."""

from __future__ import annotations

import functools
import logging
import secrets
import sqlite3
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot import text
from bot.domain.errors import UserError

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


def message_for(error: BaseException) -> str:
    """The private sentence for an error; logs the unexpected ones with a reference."""
    error = unwrap(error)
    if isinstance(error, UserError):
        return text.error_text(error.key, **error.params)
    if isinstance(error, app_commands.NoPrivateMessage):
        return text.error_text("guild_only")
    if isinstance(error, sqlite3.OperationalError):
        message = str(error).lower()
        if "locked" in message or "busy" in message:
            log.warning("database busy: %s", error)
            return text.error_text("database_busy")
        if "readonly" in message or "read-only" in message:
            log.error("database is read-only: %s", error)
            return text.error_text("database_readonly")
    code = secrets.token_hex(3)
    log.error("unexpected error [%s]", code, exc_info=error)
    return text.INTERNAL_ERROR.format(code=code)


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


class Tree(app_commands.CommandTree[Any]):
    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await answer_error(interaction, error)


class BotView(discord.ui.View):
    """A view whose callbacks' errors are answered like commands' errors."""

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await answer_error(interaction, error)


F = TypeVar("F", bound=Callable[..., Awaitable[Any]])


def guarded(callback: F) -> F:
    """For dynamic items' callbacks, whose errors discord.py would only log."""

    @functools.wraps(callback)
    async def wrapper(self: Any, interaction: discord.Interaction, *args: Any) -> Any:
        try:
            return await callback(self, interaction, *args)
        except Exception as error:
            await answer_error(interaction, error)
            return None

    return wrapper  # type: ignore[return-value]
