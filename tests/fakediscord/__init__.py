"""A local Discord stand-in for end-to-end tests (draft docstring, completed below)."""

from .driver import Driver, DriverError, Reply
from .runner import discord_pointed_at, point_discord_at, running_bot
from .server import FakeDiscord

__all__ = [
    "Driver",
    "DriverError",
    "FakeDiscord",
    "Reply",
    "discord_pointed_at",
    "point_discord_at",
    "running_bot",
]
