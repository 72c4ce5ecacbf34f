"""bot/adapters/gate.py on plain stand-ins for interactions: whose permissions count, where a member
may post, and what the rate gate counts, asks and answers."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from unittest.mock import MagicMock

import discord
import pytest

from bot.adapters.gate import RateGate, actor_of, can_post_in
from bot.domain.errors import UserError
from bot.domain.guilds import GuildSettings
from bot.domain.ratelimit import RateLimits

GUILD, ORGANISERS = 100, 7
COMMAND = discord.InteractionType.application_command


def member(
    server_wide: discord.Permissions, *, role_ids: tuple[int, ...] = (), loaded: bool = True
) -> Any:
    user = MagicMock(spec=discord.Member)
    user.id = 42
    user.guild = SimpleNamespace(unavailable=not loaded, owner_id=1 if loaded else None)
    user.guild_permissions = server_wide
    user.roles = [SimpleNamespace(id=GUILD), *(SimpleNamespace(id=r) for r in role_ids)]
    return user


def interaction(
    user: Any,
    *,
    here: discord.Permissions | None = None,
    kind: discord.InteractionType = COMMAND,
    data: dict[str, Any] | None = None,
) -> Any:
    return SimpleNamespace(
        user=user,
        permissions=here or discord.Permissions.none(),
        type=kind,
        guild_id=GUILD,
        extras={},
        data=data or {},
    )


NONE = discord.Permissions.none()
EVENTS = discord.Permissions(manage_events=True)
GUILD_MANAGER = discord.Permissions(manage_guild=True)
ADMIN = discord.Permissions.all()


@pytest.mark.parametrize(
    ("server_wide", "here", "want"),
    [
        (NONE, EVENTS, (False, False, False)),  # an overwrite granting it: not an organiser
        (NONE, GUILD_MANAGER, (False, False, False)),
        (EVENTS, NONE, (False, False, True)),  # an overwrite denying it: still one
        (GUILD_MANAGER, NONE, (False, True, False)),
        (ADMIN, NONE, (True, True, True)),
    ],
)
def test_the_actor_has_server_wide_permissions_never_the_channels(
    server_wide: discord.Permissions, here: discord.Permissions, want: tuple[bool, bool, bool]
) -> None:
    actor = actor_of(interaction(member(server_wide), here=here))
    assert (actor.administrator, actor.manage_guild, actor.manage_events) == want


def test_the_actor_has_their_roles() -> None:
    actor = actor_of(interaction(member(NONE, role_ids=(ORGANISERS,))))
    assert actor.user_id == 42 and actor.role_ids == {GUILD, ORGANISERS}


def test_a_server_not_loaded_yet_is_said_so_not_taken_for_no_permissions() -> None:
    with pytest.raises(UserError) as raised:
        actor_of(interaction(member(EVENTS, loaded=False)))
    assert raised.value.key == "server_loading"


@pytest.mark.parametrize(
    ("resolved", "want"),
    [
        (discord.Permissions(view_channel=True, send_messages=True), True),
        (discord.Permissions(view_channel=True), False),
        (discord.Permissions(send_messages=True), False),
        (NONE, False),
        (ADMIN, True),
    ],
)
def test_can_post_in_reads_what_discord_resolved_for_the_member(
    resolved: discord.Permissions, want: bool
) -> None:
    channel = MagicMock(spec=discord.TextChannel)
    channel.id = 555
    channel.permissions_for.side_effect = AssertionError("the resolved permissions come first")
    data = {"resolved": {"channels": {"555": {"permissions": str(resolved.value)}}}}
    assert can_post_in(interaction(member(NONE), data=data), channel) is want


def test_can_post_in_falls_back_to_the_cached_overwrites() -> None:
    channel = MagicMock(spec=discord.TextChannel)
    channel.id = 555
    channel.permissions_for.return_value = discord.Permissions(view_channel=True)
    assert can_post_in(interaction(member(NONE)), channel) is False


class Gate:
    """A RateGate on a clock of the test's, with the server's settings and refusals seen."""

    def __init__(self, settings: GuildSettings | Exception) -> None:
        self.now = 0.0
        self.settings = settings
        self.asked = 0
        self.refusals: list[tuple[Any, UserError]] = []
        self.gate = RateGate(
            RateLimits(), settings_of=self.settings_of, refuse=self.refuse, now=lambda: self.now
        )

    async def settings_of(self, guild_id: int) -> GuildSettings:
        self.asked += 1
        if isinstance(self.settings, Exception):
            raise self.settings
        return self.settings

    async def refuse(self, interaction: Any, error: BaseException) -> None:
        assert isinstance(error, UserError)
        self.refusals.append((interaction, error))

    async def served(self, user: Any, count: int, kind: discord.InteractionType = COMMAND) -> int:
        return sum([await self.gate.admit(interaction(user, kind=kind)) for _ in range(count)])


@pytest.mark.parametrize(
    ("who", "settings", "served"),
    [
        (member(NONE), GuildSettings(GUILD), 10),
        (member(EVENTS), GuildSettings(GUILD), 30),
        (member(ADMIN), GuildSettings(GUILD), 30),
        (
            member(NONE, role_ids=(ORGANISERS,)),
            GuildSettings(GUILD, organiser_role_id=ORGANISERS),
            30,
        ),
        (member(NONE, role_ids=(ORGANISERS,)), GuildSettings(GUILD), 10),
        (member(EVENTS), RuntimeError("database is locked"), 10),  # unknown: a member's
        (member(EVENTS, loaded=False), GuildSettings(GUILD), 10),
    ],
    ids=["member", "manage events", "admin", "organiser role", "other role", "no db", "loading"],
)
async def test_members_get_ten_and_organisers_thirty(
    who: Any, settings: GuildSettings | Exception, served: int
) -> None:
    gate = Gate(settings)
    assert await gate.served(who, 100) == served
    assert len(gate.refusals) == 100 - served
    assert {e.params["seconds"] for _, e in gate.refusals} == {10}
    assert {e.key for _, e in gate.refusals} == {"slow_down"}


@pytest.mark.parametrize(("who", "served"), [(member(EVENTS), 30), (member(NONE), 10)])
async def test_the_server_is_asked_only_past_the_members_limit_once_a_window(
    who: Any, served: int
) -> None:
    gate = Gate(GuildSettings(GUILD))
    assert await gate.served(who, 10) == 10
    assert gate.asked == 0
    assert await gate.served(who, 1000) == served - 10
    assert gate.asked == 1  # a flood does not ask once a refusal
    gate.now += 10
    assert await gate.served(who, 1000) == served
    assert gate.asked == 2


async def test_autocomplete_is_never_counted() -> None:
    gate = Gate(GuildSettings(GUILD))
    who = member(NONE)
    assert await gate.served(who, 500, discord.InteractionType.autocomplete) == 500
    assert await gate.served(who, 10) == 10
    assert gate.refusals == []


@pytest.mark.parametrize(
    "kind", [COMMAND, discord.InteractionType.component, discord.InteractionType.modal_submit]
)
async def test_commands_clicks_and_forms_share_one_limit(kind: discord.InteractionType) -> None:
    gate = Gate(GuildSettings(GUILD))
    who = member(NONE)
    assert await gate.served(who, 9) == 9
    assert await gate.served(who, 5, kind) == 1


async def test_asking_again_for_one_interaction_repeats_the_answer_and_counts_once() -> None:
    gate = Gate(GuildSettings(GUILD))
    who = member(NONE)
    first = interaction(who)
    assert all([await gate.gate.admit(first) for _ in range(20)])  # one use, asked 20 times
    assert await gate.served(who, 20) == 9
    over = interaction(who)
    assert not await gate.gate.admit(over)
    assert not await gate.gate.admit(over)
    assert [i for i, _ in gate.refusals].count(over) == 1  # told once
    gate.now += 10
    assert await gate.gate.admit(interaction(who))
