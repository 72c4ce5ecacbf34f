"""Every way a member's click or form reaches a cog passes the rate gate (bot/adapters/gate.py).

Commands pass it in the tree's `interaction_check` (bot.adapters.errors.Tree). The rest are found here
by walking the cogs: views must be `BotView`s that leave `interaction_check` alone (they say
who may use them in `allowed`), modals `AnsweringModal`s, and dynamic items' callbacks (and
the listener that answers the sign form) `guarded`. A new entry point that skipped the gate
fails here; tests/e2e/test_rate_limits.py shows each kind refused over the limit.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any

import discord
import pytest

import cogs
from bot.adapters.errors import BotView, Tree
from cogs.letters import AnsweringModal, Letters

MODULES = [
    importlib.import_module(f"cogs.{info.name}") for info in pkgutil.iter_modules(cogs.__path__)
]


def defined_in_cogs(base: type) -> list[type]:
    found = []
    for module in MODULES:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, base):
                found.append(cls)
    return found


def is_guarded(function: Callable[..., Any]) -> bool:
    return function.__code__.co_qualname == "guarded.<locals>.wrapper"  # wraps() keeps names


def test_the_tree_checks_every_command() -> None:
    assert Tree.interaction_check is not discord.app_commands.CommandTree.interaction_check


@pytest.mark.parametrize("view", defined_in_cogs(discord.ui.View), ids=lambda c: c.__name__)
def test_views_pass_the_gate(view: type) -> None:
    assert issubclass(view, BotView)
    assert view.interaction_check is BotView.interaction_check, "override `allowed` instead"


@pytest.mark.parametrize("modal", defined_in_cogs(discord.ui.Modal), ids=lambda c: c.__name__)
def test_modals_pass_the_gate(modal: type) -> None:
    assert issubclass(modal, AnsweringModal)
    assert modal.interaction_check is AnsweringModal.interaction_check


@pytest.mark.parametrize("item", defined_in_cogs(discord.ui.DynamicItem), ids=lambda c: c.__name__)
def test_dynamic_items_pass_the_gate(item: Any) -> None:
    assert is_guarded(item.callback)


def test_the_sign_form_listener_passes_the_gate() -> None:
    assert is_guarded(Letters._sign_form_submitted)


def test_there_is_something_to_check() -> None:
    assert len(defined_in_cogs(discord.ui.View)) >= 2  # the calendar button, the confirmation
    assert len(defined_in_cogs(discord.ui.DynamicItem)) >= 3
