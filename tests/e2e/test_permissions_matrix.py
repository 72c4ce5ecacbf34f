"""Who may do what (issue 9): every organiser-only and administrator-only command, run by
someone who may not, is refused privately and changes nothing.

Organiser-only (SPEC, "/events" and "/letter" tables): /events create, edit, cancel,
attendees, series; /letter create (with and without `body`: the form must not even open),
edit, export, close. /events calendar is everyone's in the SPEC, so it is not in the matrix.
Administrator-only (Manage Server): every /setup subcommand.

Who tries them:
* an ordinary member (only the Members role): every command in the matrix;
* a moderator: Manage Messages, Manage Channels, Manage Roles, Kick/Ban Members, Mention
  Everyone, Manage Nicknames, but neither Manage Events, Manage Server nor Administrator:
  every command (the bot must look at the right permission bits, not "any staff bit");
* an organiser by Manage Events, and an organiser by the role set with
  `/setup organiser-role`, neither with Manage Server: every /setup command.

For each attempt: the answer is private and is the refusal ("Only organisers…" /
"Only server managers…"); no form opened; nothing logged at ERROR; and nothing changed:
every row of every table in sqlite_master (`SELECT *`) is the same before and after, no new
or edited non-ephemeral message anywhere (channels and DMs), the Events tab unchanged, the
scheduler's jobs unchanged.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import discord
import pytest

from bot import text
from tests.e2e.conftest import CoproWorld
from tests.fakediscord import Driver, DriverError, FakeDiscord
from tests.fakediscord.models import Member, Role
from tests.support.dates import at_local, typed

SERIES = "S. Wales Network Meeting"
NOT_ORGANISER = text.error_text("not_organiser")
NOT_ADMIN = text.error_text("not_admin")


def seed_when(now: datetime) -> str:
    """The seed meeting: 12 days on, at 18:30."""
    return typed(at_local(now, days=12))


def organiser_commands(
    event: str, letter: str, world: CoproWorld, now: datetime
) -> list[tuple[str, dict[str, Any]]]:
    # Times well ahead of `now`, so a refusal can only be about who asks.
    later, moved = typed(at_local(now, days=19)), typed(at_local(now, days=22, at="10:00"))
    return [
        ("events create", {"when": later, "title": "Not allowed"}),
        ("events create", {"when": later, "series": SERIES, "channel": world.general}),
        ("events create", {"when": "banana", "title": "x", "duration": "0m"}),
        ("events edit", {"event": event, "where": "Online"}),
        ("events edit", {"event": event, "when": moved, "capacity": 5}),
        ("events edit", {"event": event, "title": "-", "description": "-", "reminders": "1h"}),
        ("events cancel", {"event": event}),
        ("events cancel", {"event": event, "reason": "Venue flooded"}),
        ("events attendees", {"event": event}),
        ("events series", {"name": "N. Wales Network Meeting", "hosts": "Adra, Grŵp Cynefin"}),
        ("events series", {"name": SERIES, "hosts": "Someone else", "next_number": 9}),
        ("letter create", {"title": "Not allowed", "addressee": "Senedd", "body": "Text"}),
        ("letter create", {"title": "Not allowed", "addressee": "Senedd"}),  # no form
        ("letter edit", {"letter": letter, "body": "Changed text"}),
        ("letter edit", {"letter": letter, "closes": "-", "milestone": 2}),
        ("letter export", {"letter": letter}),
        ("letter export", {"letter": letter, "format": "csv"}),
        ("letter close", {"letter": letter}),
    ]


def admin_commands(world: CoproWorld) -> list[tuple[str, dict[str, Any]]]:
    return [
        ("setup show", {}),
        ("setup channel", {"announcements": world.general}),
        ("setup organiser-role", {"role": world.members}),
        ("setup ping-role", {"role": world.members}),
        ("setup ping-role", {}),
        ("setup timezone", {"zone": "America/New_York"}),
        ("setup reminders", {"offsets": "2d,30m"}),
        ("setup digest", {"enabled": False}),
        ("setup digest", {"enabled": True, "day": "friday", "time": "17:00"}),
    ]


# --- the world: two more kinds of member, made before the bot starts (so it knows the roles) ---


class Extra:
    def __init__(self, server: FakeDiscord, world: CoproWorld) -> None:
        staff = discord.Permissions(
            manage_messages=True,
            manage_channels=True,
            manage_roles=True,
            kick_members=True,
            ban_members=True,
            mention_everyone=True,
            manage_nicknames=True,
        )
        self.moderators: Role = server.add_role(world.guild, "Moderators", permissions=staff)
        self.event_team: Role = server.add_role(world.guild, "Event Team")
        self.moderator: Member = server.add_member(
            world.guild, "Owain Glyn", roles=[self.moderators, world.members]
        )
        self.role_organiser: Member = server.add_member(
            world.guild, "Siân Ŵyn", roles=[self.event_team, world.members]
        )


@pytest.fixture
def extra(discord_server: FakeDiscord, world: CoproWorld) -> Extra:
    return Extra(discord_server, world)


@pytest.fixture
async def ready(
    extra: Extra,
    start_bot: Any,
    driver: Driver,
    world: CoproWorld,
    clock: Callable[[], datetime],
) -> Any:
    """A running bot with an announcements channel, a ping role, an organiser role, an
    event with answers and a reminder, a series and a signed letter."""
    async with start_bot() as bot:
        admin, organiser = world.admin, world.organiser
        await driver.slash(admin, "setup channel", announcements=world.announcements)
        await driver.slash(admin, "setup ping-role", role=world.members)
        await driver.slash(admin, "setup organiser-role", role=extra.event_team)
        await driver.slash(organiser, "events series", name=SERIES, hosts="Tai Tarian, Adra")
        created = await driver.slash(
            extra.role_organiser, "events create", when=seed_when(clock()), title="Network Meeting"
        )
        assert "Posted" in created.text, created.text  # the role makes an organiser
        await driver.slash(
            organiser, "letter create", title="Open Letter", addressee="Senedd", body="Text"
        )
        await driver.slash(world.rhian, "letter sign", letter="Open Letter", name="Rhian")
        await driver.slash(world.rhian, "reminders add", event="Network Meeting", before="1d")
        await bot.post_updater.drain(10)
        yield bot


# --- what "nothing changed" means -------------------------------------------------------------


async def database_rows(bot: Any) -> dict[str, list[str]]:
    """Every row of every table, as text, sorted."""
    async with bot.db.reading() as conn:
        names = [
            row[0]
            for row in await conn.execute_fetchall(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        tables = {}
        for name in names:
            rows = await conn.execute_fetchall(f'SELECT * FROM "{name}"')
            tables[name] = sorted(repr(tuple(row)) for row in rows)
    return tables


def discord_state(server: FakeDiscord, world: CoproWorld, bot: Any) -> dict[str, Any]:
    """What members can see: non-ephemeral messages (channels and DMs), with their edits and
    reactions; the Events tab; and the bot's scheduled jobs."""
    messages = {
        message.id: (
            message.content,
            json.dumps(message.embeds, sort_keys=True),
            message.edits,
            message.deleted,
            json.dumps(message.reactions, sort_keys=True),
        )
        for message in server.messages.values()
        if not message.ephemeral
    }
    events = [
        json.dumps(server.event_payload(e), sort_keys=True) for e in world.guild.events.values()
    ]
    jobs = {job: str(bot.jobs.next_run(job)) for job in bot.jobs.pending()}
    return {"messages": messages, "events": sorted(events), "jobs": jobs}


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    found = []
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            was, now = before.get(key), after.get(key)
            if isinstance(was, dict) and isinstance(now, dict):
                changed = [k for k in set(was) | set(now) if was.get(k) != now.get(k)]
                found.append(f"{key}: {changed[:5]}")
            else:
                found.append(f"{key}: {str(was)[:200]} -> {str(now)[:200]}")
    return found


# --- the matrix --------------------------------------------------------------------------------


ACTORS = ["member", "moderator", "organiser", "role organiser"]


@pytest.mark.parametrize("actor", ACTORS)
async def test_commands_beyond_ones_role_are_refused_and_change_nothing(
    actor: str,
    ready: Any,
    extra: Extra,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    caplog: pytest.LogCaptureFixture,
    clock: Callable[[], datetime],
) -> None:
    caplog.set_level(logging.INFO)
    bot = ready
    event = str(await single(bot, "SELECT id FROM events"))
    letter = str(await single(bot, "SELECT id FROM letters"))
    who = {
        "member": world.rhian,
        "moderator": extra.moderator,
        "organiser": world.organiser,
        "role organiser": extra.role_organiser,
    }[actor]
    attempts = [(path, options, NOT_ADMIN) for path, options in admin_commands(world)]
    if actor in ("member", "moderator"):
        attempts += [
            (path, options, NOT_ORGANISER)
            for path, options in organiser_commands(event, letter, world, clock())
        ]

    problems: list[str] = []
    for path, options, refusal in attempts:
        label = f"{actor}: /{path} {sorted(options)}"
        rows = await database_rows(bot)
        seen = discord_state(discord_server, world, bot)
        logged = len(caplog.records)
        try:
            reply = await driver.slash(who, path, options=options)
        except DriverError as error:
            problems.append(f"{label}: {error}")
            continue
        await bot.post_updater.drain(10)
        if reply.type == 9:
            problems.append(f"{label}: opened a form instead of refusing")
        elif not reply.ephemeral:
            problems.append(f"{label}: the answer is public")
        elif reply.text.strip() != refusal:
            problems.append(f"{label}: answered {reply.text[:200]!r}")
        problems += [f"{label}: database {d}" for d in differences(rows, await database_rows(bot))]
        problems += [
            f"{label}: Discord {d}"
            for d in differences(seen, discord_state(discord_server, world, bot))
        ]
        problems += [
            f"{label}: logged {r.levelname} {r.getMessage()[:200]}"
            for r in caplog.records[logged:]
            if r.levelno >= logging.ERROR
        ]
    assert len(attempts) >= (9 if actor in ("organiser", "role organiser") else 27)
    assert not problems, "\n".join(problems)


async def test_the_same_commands_work_for_those_allowed(
    ready: Any, extra: Extra, driver: Driver, world: CoproWorld, discord_server: FakeDiscord
) -> None:
    """The matrix's refusals are about who asks: the allowed get through (a sample)."""
    bot = ready
    event = str(await single(bot, "SELECT id FROM events"))
    show = await driver.slash(world.admin, "setup show")
    assert show.ephemeral and show.embeds
    listed = await driver.slash(extra.role_organiser, "events attendees", event=event)
    assert listed.ephemeral and listed.files
    rows = await database_rows(bot)
    seen = discord_state(discord_server, world, bot)
    edited = await driver.slash(world.organiser, "events edit", event=event, where="Online")
    assert edited.ephemeral and "Updated" in edited.text
    await bot.post_updater.drain(10)
    # the snapshots the matrix compares do see a change when there is one
    assert differences(rows, await database_rows(bot))
    assert differences(seen, discord_state(discord_server, world, bot))
    calendar = await driver.slash(world.rhian, "events calendar", event=event)  # everyone's
    assert calendar.ephemeral and calendar.files


async def single(bot: Any, sql: str) -> Any:
    async with bot.db.reading() as conn:
        rows = list(await conn.execute_fetchall(sql))
    assert len(rows) == 1, rows
    return rows[0][0]
