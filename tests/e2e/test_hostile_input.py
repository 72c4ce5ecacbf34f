"""Hostile and malformed input through every command, modal and autocomplete (issue 9).

The corpus (tests/e2e/hostile_corpus.py) is driven through the real bot against the local
Discord, one bot per command group. For every input:

* it is answered, and in time: the stand-in refuses a first answer after 3 s (the driver
  then raises), and the answer's latency is checked here too;
* the answer is private, and is either a refusal whose text is one of bot.text.ERRORS (the
  expected one, where the case names it) or a success; never the "something went wrong"
  apology;
* nothing logged at ERROR or above, and no "unexpected error [ref]" line (pytest's caplog);
* no request the bot made was answered 400 by the stand-in (it answers 400/50035 for
  anything over Discord's limits);
* no message the bot sent anywhere pings anyone (`Message.mentions()` empty), except the
  deliberate ping-role line of an announcement, which may ping that one role only.

After each group: every post edit drained, the same checks over everything the group did,
`PRAGMA integrity_check` ok, no foreign key broken, and no half-written rows (every event
and letter has its post, every post of the bot's in the announcement channel has its row).

Over-long and out-of-range values. The driver builds options from the synced schema and
refuses what the Discord client would block (it raises DriverError for a string over
`max_length`, an integer outside `min_value`/`max_value`, a value not among the choices), as
Discord itself would. So the corpus keeps ordinary values within the declared limits and
uses the full 6,000 characters (Discord's most for any string option) only in options that
declare no `max_length` (when, duration, reminders, before, offsets, zone, time, hosts,
closes and every autocomplete-filled reference). Values past the declared limits (a
6,000-character title, capacity 0 or 2**53, an empty required title) are additionally sent
by `forged_slash`, which builds the payload with in-limit placeholders and swaps the real
values in (the stand-in trusts option payloads): that checks the bot's own validation
behind Discord's. Forged choice values are not sent (discord.py itself refuses them before
the bot's code runs). Lone surrogates are not sent: Discord's JSON is valid UTF-8.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import time
import unicodedata
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import pytest

from bot import text
from bot.domain.organisations import PUNCTUATION
from tests.e2e.conftest import CoproWorld
from tests.e2e.hostile_corpus import (
    BEFORES,
    CHANNELS,
    DURATIONS,
    LONG,
    OFFSETS,
    REFS,
    RETENTIONS,
    TEXTS,
    TIMES_OF_DAY,
    WELSH,
    ZONES,
    Case,
    fill,
    fit,
    whens,
)
from tests.fakediscord import Driver, DriverError, FakeDiscord, Reply
from tests.fakediscord.models import Channel, InteractionRecord, Message, Overwrite
from tests.fakediscord.server import APP_COMMAND
from tests.support import dates

DEADLINE_S = 3.0
SEED_EVENT = "Seed network meeting"
SEED_LETTER = "Seed open letter"
SEED_SERIES = "N. Wales Network Meeting"
BODY = "We ask that co-production is placed at the heart of Welsh public services."


# --- reading replies ---------------------------------------------------------------------------


def _template_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{[^{}]*\}", template)
    return re.compile("(?s:.*?)".join(re.escape(p) for p in parts), re.S)


ERROR_PATTERNS = {key: _template_pattern(sentence) for key, sentence in text.ERRORS.items()}
INTERNAL_PATTERN = _template_pattern(text.INTERNAL_ERROR)


def refusal_key(reply_text: str) -> str | None:
    """The ERRORS key a reply's text is, "INTERNAL" for the apology, None for anything else."""
    stripped = reply_text.strip()
    if INTERNAL_PATTERN.fullmatch(stripped):
        return "INTERNAL"
    for key, pattern in ERROR_PATTERNS.items():
        if pattern.fullmatch(stripped):
            return key
    return None


BIDI_CONTROLS = {chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}


def cleaned(value: str) -> str:
    """What a one-line field should store: NFC, control and bidirectional layout characters
    dropped, whitespace folded; nothing at all when no letter, digit, mark of punctuation or
    symbol would show (only zero-width or combining characters)."""
    kept = "".join(
        ch
        for ch in unicodedata.normalize("NFC", value)
        if ch.isspace() or (unicodedata.category(ch) != "Cc" and ch not in BIDI_CONTROLS)
    )
    text = " ".join(kept.split())
    return text if any(unicodedata.category(ch)[0] in "LNPS" for ch in text) else ""


def first_version(message: Message) -> Message:
    """The message as first sent (an edit does not ping; the first version might have)."""
    if not message.history:
        return message
    content, embeds = message.history[0]
    return dataclasses.replace(message, content=content, embeds=embeds)


NO_PINGS = {"users": [], "roles": [], "everyone": False}


# --- the harness -------------------------------------------------------------------------------


class Harness:
    """Runs cases, checks each, and collects every failure (so one run shows them all)."""

    def __init__(
        self,
        bot: Any,
        driver: Driver,
        server: FakeDiscord,
        world: CoproWorld,
        caplog: pytest.LogCaptureFixture,
        now: datetime,
    ) -> None:
        self.bot, self.driver, self.server, self.world, self.caplog = (
            bot,
            driver,
            server,
            world,
            caplog,
        )
        # Dates from the test's clock (the bot's too): the seed meeting 12 days on at 18:30,
        # the hostile `when`s built from the same moment.
        self.now = now
        self.seed_when = dates.typed(dates.at_local(now, days=12))
        self.whens = whens(now)
        self.failures: list[str] = []
        self.inputs = 0
        self.slowest = 0.0
        self.ids = {
            "role": world.organisers.id,
            "user": world.rhian.id,
            "channel": world.general.id,
        }
        self.ping_role = world.members.id
        self.seed_event = 0
        self.seed_letter = 0
        self._logs = 0
        self._requests = 0
        self._messages: set[int] = set()

    def texts(self) -> list[tuple[str, str]]:
        return [(name, fill(value, self.ids)) for name, value in TEXTS]

    def who(self, name: str) -> Any:
        return {
            "organiser": self.world.organiser,
            "admin": self.world.admin,
            "member": self.world.rhian,
            "dafydd": self.world.dafydd,
        }[name]

    # -- checks shared by every input --

    def _mark(self) -> None:
        self._logs = len(self.caplog.records)
        self._requests = len(self.server.request_log)

    def _side_checks(self, label: str, *, everything: bool = False) -> None:
        logs = self.caplog.records if everything else self.caplog.records[self._logs :]
        for record in logs:
            line = record.getMessage()
            if record.levelno >= logging.ERROR or "unexpected error" in line:
                self.fail(label, f"logged {record.levelname} {record.name}: {line[:300]}")
        requests = (
            self.server.request_log if everything else self.server.request_log[self._requests :]
        )
        for request in requests:
            if request.status == 400:
                self.fail(label, f"400 ({request.code}) for {request.method} {request.path}")
        for message in self.server.messages.values():
            if message.author.id != self.server.bot_user.id:
                continue
            if not everything and message.id in self._messages:
                continue
            self._messages.add(message.id)
            for version in (first_version(message), message):
                pings = version.mentions()
                if pings == NO_PINGS:
                    continue
                deliberate = {"users": [], "roles": [self.ping_role], "everyone": False}
                if pings == deliberate and version.content.startswith(f"<@&{self.ping_role}>"):
                    continue
                self.fail(label, f"message {message.id} pings {pings}: {version.content[:200]!r}")
        self._mark()

    def fail(self, label: str, problem: str) -> None:
        self.failures.append(f"{label}: {problem}")

    def _timing(self, label: str, record: InteractionRecord) -> None:
        if record.responded_at is None:
            self.fail(label, "no answer")
            return
        latency = record.responded_at - record.dispatched_at
        self.slowest = max(self.slowest, latency)
        if latency > DEADLINE_S:
            self.fail(label, f"answered after {latency:.2f}s")

    def _judge(self, label: str, reply: Reply, expect: str) -> str | None:
        """Check the answer is private and what was expected; returns its refusal key."""
        self._timing(label, reply.interaction)
        if reply.type == 9:
            if expect != "modal":
                self.fail(label, "answered with a form, expected a message")
            return "modal"
        if expect == "modal":
            self.fail(label, f"expected a form, got: {reply.text[:200]!r}")
        if reply.message is None:
            self.fail(label, f"answered with type {reply.type} and no message")
            return None
        if not reply.ephemeral:
            self.fail(label, "the answer is public")
        said = reply.text
        key = refusal_key(said)
        if key == "INTERNAL":
            self.fail(label, f"apology instead of an answer: {said[:200]!r}")
        elif expect == "ok" and key is not None:
            self.fail(label, f"refused with {key}: {said[:200]!r}")
        elif expect == "error" and key is None:
            self.fail(label, f"expected a refusal, got: {said[:200]!r}")
        elif expect not in ("ok", "error", "any", "modal") and key != expect:
            self.fail(label, f"expected {expect}, got {key}: {said[:200]!r}")
        elif not said.strip() and not reply.files:
            self.fail(label, "an empty answer")
        return key

    # -- running inputs --

    async def run(self, case: Case) -> Reply | None:
        label = case.label or f"{case.path} {case.options}"
        label = f"/{case.path} [{case.who}] {label}"[:300]
        self.inputs += 1
        self._mark()
        options = {name: fill(value, self.ids) for name, value in case.options.items()}
        forged = {name: fill(value, self.ids) for name, value in case.forged.items()}
        try:
            if forged:
                reply = await forged_slash(
                    self.driver, self.who(case.who), case.path, options, forged
                )
            else:
                reply = await self.driver.slash(self.who(case.who), case.path, options=options)
        except DriverError as error:
            self.fail(label, f"driver: {error}")
            self._side_checks(label)
            return None
        self._judge(label, reply, case.expect)
        self._side_checks(label)
        return reply

    async def do(
        self,
        who: str,
        path: str,
        options: dict[str, Any],
        expect: str = "any",
        *,
        forged: dict[str, Any] | None = None,
        label: str = "",
    ) -> Reply | None:
        return await self.run(Case(who, path, options, expect, forged or {}, label))

    async def verified(
        self, case: Case, check: Callable[[Reply], Awaitable[str | None]]
    ) -> Reply | None:
        """Run a case expected to succeed, then check the success is the right one."""
        before = len(self.failures)
        reply = await self.run(case)
        if reply is not None and len(self.failures) == before and refusal_key(reply.text) is None:
            problem = await check(reply)
            if problem:
                self.fail(f"/{case.path} {case.label}", problem)
        return reply

    async def click(
        self, who: str, message: Message | None, button: str, label: str
    ) -> Reply | None:
        self.inputs += 1
        self._mark()
        try:
            reply = await self.driver.click(self.who(who), message, button)
        except DriverError as error:
            self.fail(label, f"driver: {error}")
            return None
        self._timing(label, reply.interaction)
        if reply.message is not None and reply.type not in (6, 7) and not reply.ephemeral:
            self.fail(label, "the answer is public")
        if refusal_key(reply.text) == "INTERNAL":
            self.fail(label, f"apology: {reply.text[:200]!r}")
        self._side_checks(label)
        return reply

    async def submit(
        self, who: str, values: dict[str, str], expect: str, label: str
    ) -> Reply | None:
        self.inputs += 1
        self._mark()
        try:
            reply = await self.driver.submit_modal(self.who(who), values)
        except DriverError as error:
            self.fail(label, f"driver: {error}")
            return None
        self._judge(label, reply, expect)
        self._side_checks(label)
        return reply

    async def autocomplete(self, who: str, path: str, option: str, typed: str, label: str) -> None:
        self.inputs += 1
        self._mark()
        try:
            choices = await self.driver.autocomplete(self.who(who), path, option, typed)
        except DriverError as error:
            self.fail(label, f"driver: {error}")
            self._side_checks(label)
            return
        records = [
            r
            for r in self.server.interactions.values()
            if r.command_path == path and r.choices is not None
        ]
        if records:
            self._timing(label, records[-1])
        if len(choices) > 25:
            self.fail(label, f"{len(choices)} choices")
        for choice in choices:
            if not 1 <= len(choice["name"]) <= 100 or len(str(choice["value"])) > 100:
                self.fail(label, f"choice out of limits: {choice!r:.200}")
        self._side_checks(label)

    # -- the world every group starts from --

    async def prepare(self) -> None:
        w, d = self.world, self.driver
        await d.slash(w.admin, "setup channel", announcements=w.announcements)
        await d.slash(w.admin, "setup ping-role", role=w.members)
        await d.slash(
            w.organiser, "events create", when=self.seed_when, title=SEED_EVENT, where="Wrexham"
        )
        await d.slash(
            w.organiser, "letter create", title=SEED_LETTER, addressee="The Senedd", body=BODY
        )
        await d.slash(w.organiser, "events series", name=SEED_SERIES, hosts="Grŵp Cynefin, Adra")
        await d.slash(w.rhian, "letter sign", letter=SEED_LETTER, name="Rhian Evans")
        self.seed_event = await self.scalar("SELECT id FROM events WHERE title = ?", SEED_EVENT)
        self.seed_letter = await self.scalar("SELECT id FROM letters WHERE title = ?", SEED_LETTER)
        self._side_checks("preparing the world")

    async def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        async with self.bot.db.reading() as conn:
            return [tuple(row) for row in await conn.execute_fetchall(sql, params)]

    async def scalar(self, sql: str, *params: Any) -> Any:
        rows = await self.rows(sql, *params)
        return rows[0][0] if rows else None

    async def finish(self) -> None:
        """Everything settled: the group's checks over all it did, then the database."""
        await self.bot.post_updater.drain(10)
        self._side_checks("after the group (all requests, logs and messages)", everything=True)
        [(integrity,)] = await self.rows("PRAGMA integrity_check")
        if integrity != "ok":
            self.fail("database", f"integrity_check: {integrity}")
        broken = await self.rows("PRAGMA foreign_key_check")
        if broken:
            self.fail("database", f"foreign keys broken: {broken[:5]}")
        for table in ("events", "letters"):
            half = await self.rows(f"SELECT id, title FROM {table} WHERE message_id IS NULL")
            if half:
                self.fail("database", f"{table} without a post: {half[:5]}")
        stored = {
            message_id
            for table in ("events", "letters")
            for (message_id,) in await self.rows(f"SELECT message_id FROM {table}")
        }
        for message_id in stored:
            message = self.server.messages.get(message_id)
            if message is None or message.deleted:
                self.fail("database", f"a row's post {message_id} does not exist")
        for message in self.driver.messages(self.world.announcements):
            if message.embeds and message.author.id == self.server.bot_user.id:
                is_post = message.id in stored
                is_other = not message.components and not message.reactions  # digests, milestones
                if not (is_post or is_other):
                    self.fail("database", f"post {message.id} has no row: {message.text[:100]!r}")
        orphans = await self.rows(
            "SELECT r.id FROM reminders r JOIN events e ON e.id = r.event_id "
            "WHERE r.status = 'pending' AND e.status = 'cancelled'"
        )
        if orphans:
            self.fail("database", f"pending reminders of cancelled events: {orphans}")


async def forged_slash(
    driver: Driver, who: Any, path: str, options: dict[str, Any], forged: dict[str, Any]
) -> Reply:
    """`/path` with `forged` values the Discord client would refuse (over max_length, out of
    range, empty): built from in-limit placeholders, then the real values swapped in."""
    placeholders = {name: (1 if isinstance(value, int) else "x") for name, value in forged.items()}
    member = driver.member(who)
    channel = driver.channel()
    data = driver._command_data(path, {**options, **placeholders}, member, channel, focused=None)

    def swap(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            if "options" in node:
                swap(node["options"])
            elif node["name"] in forged:
                node["value"] = forged[node["name"]]

    swap(data["options"])
    record = driver.server.start_interaction(
        kind=APP_COMMAND, user=member, channel=channel, data=data, command_path=path
    )
    return await driver._answer(record, None)


# --- the groups --------------------------------------------------------------------------------


def expect_for(typed: str, refusal: str) -> str:
    return "ok" if cleaned(typed) else refusal


MENTION = re.compile(r"<(@[!&]?|#)\d+>|@(everyone|here)\b", re.IGNORECASE)


def expect_organisation(typed: str, *, optional: bool = False) -> str:
    """What an organisation field gives (issue 19): nothing that shows is refused unless the
    field may be left out; a mention, or only punctuation, is refused with its rule."""
    shown = cleaned(typed)
    if not shown:
        return "ok" if optional else "organisation_empty"
    if MENTION.search(shown):
        return "organisation_mention"
    if all(ch in PUNCTUATION or ch.isspace() for ch in shown):
        return "organisation_punctuation"
    return "ok"


BOT_IN_CHANNEL = 1 << 10 | 1 << 11 | 1 << 13 | 1 << 14 | 1 << 6 | 1 << 16  # view, send, manage
# messages, embed links, add reactions, read history: the bot may post in every CHANNELS one


def corpus_channel(h: Harness, label: str, overwrites: dict[str, int]) -> Channel:
    """A channel set up as a CHANNELS entry says (the bot may always post there)."""
    world = h.world
    return h.server.add_channel(
        world.guild,
        "-".join(label.split())[:90],
        overwrites=[
            Overwrite(world.guild.id, 0, deny=overwrites.get("everyone_deny", 0)),
            Overwrite(
                world.organisers.id,
                0,
                allow=overwrites.get("organisers_allow", 0),
                deny=overwrites.get("organisers_deny", 0),
            ),
            Overwrite(h.server.bot_user.id, 1, allow=BOT_IN_CHANNEL),
        ],
    )


async def events_group(h: Harness) -> None:
    seed = str(h.seed_event)
    # `channel:` must be one the organiser can see and send in (issue 15).
    for label, overwrites, expect in CHANNELS:
        await h.do(
            "organiser",
            "events create",
            {
                "when": h.seed_when,
                "title": f"In {label}",
                "channel": corpus_channel(h, f"event {label}", overwrites),
            },
            expect,
            label=f"channel {label}",
        )
    # Unknown references first, while no event has a hostile title.
    for ref in REFS:
        for path, extra in (
            ("events info", {}),
            ("events edit", {"where": "Online"}),
            ("events cancel", {}),
            ("events attendees", {}),
            ("events calendar", {}),
        ):
            expect = "ok" if path == "events calendar" and not ref else "event_not_found"
            await h.do(
                "organiser", path, {"event": ref, **extra}, expect, label=f"event={ref[:40]!r}"
            )
        series_expect = "any" if not ref else "series_not_found"
        await h.do(
            "organiser",
            "events create",
            {"when": h.seed_when, "title": "Series ref", "series": ref},
            series_expect,
            label=f"series={ref[:40]!r}",
        )

    # Free text in every text field of create, edit and series.
    for name, value in h.texts():
        typed = {
            "title": fit(value, 100),
            "where": fit(value, 100),
            "host": fit(value, 100),
            "description": fit(value, 2000),
        }

        async def stored_as_typed(reply: Reply, typed: dict[str, str] = typed) -> str | None:
            row = await h.rows("SELECT title, place, host FROM events ORDER BY id DESC LIMIT 1")
            want = (cleaned(typed["title"]), cleaned(typed["where"]), cleaned(typed["host"]))
            return None if row[0] == want else f"stored {row[0]!r}, typed {want!r}"

        create = Case(
            "organiser",
            "events create",
            {"when": h.seed_when, **typed},
            expect_for(value, "title_missing"),
            label=f"text {name}",
        )
        if create.expect == "ok":
            await h.verified(create, stored_as_typed)
        else:
            await h.run(create)
        await h.do(
            "organiser", "events edit", {"event": seed, **typed}, "any", label=f"text {name}"
        )
        await h.do(
            "organiser",
            "events series",
            {"name": fit(value, 90), "hosts": fit(value, 100)},
            expect_for(value, "series_name_missing"),
            label=f"text {name}",
        )
        prompt = await h.do(
            "organiser",
            "events cancel",
            {"event": seed, "reason": fit(value, 500)},
            "ok",
            label=f"reason {name}",
        )
        if prompt is not None and prompt.message is not None and prompt.buttons():
            await h.click("organiser", prompt.message, text.BUTTON_CANCEL_KEEP, f"keep ({name})")

    # Times, durations and reminder times of every wrong shape.
    for when, expect in h.whens:
        await h.do(
            "organiser",
            "events create",
            {"when": when, "title": "When test"},
            expect,
            label=f"when={when[:40]!r}",
        )
        edit_expect = (
            "when_empty" if expect == "when_empty" else ("any" if expect == "ok" else expect)
        )
        await h.do(
            "organiser",
            "events edit",
            {"event": seed, "when": when},
            edit_expect,
            label=f"when={when[:40]!r}",
        )
    for duration, expect in DURATIONS:
        create_expect = "ok" if expect == "any" else expect
        await h.do(
            "organiser",
            "events create",
            {"when": h.seed_when, "title": "Duration test", "duration": duration},
            "any" if not duration.strip() else create_expect,
            label=f"duration={duration[:40]!r}",
        )
        await h.do(
            "organiser",
            "events edit",
            {"event": seed, "duration": duration},
            "any" if expect in ("ok", "any") else expect,
            label=f"duration={duration[:40]!r}",
        )
    for offsets, expect in OFFSETS:
        await h.do(
            "organiser",
            "events create",
            {"when": h.seed_when, "title": "Reminders test", "reminders": offsets},
            expect,
            label=f"reminders={offsets[:40]!r}",
        )
    # Whole numbers: the declared range, and past it (forged).
    for capacity in (1, 100_000):
        await h.do(
            "organiser",
            "events create",
            {"when": h.seed_when, "title": "Cap", "capacity": capacity},
            "ok",
            label=f"capacity={capacity}",
        )
    for capacity in (0, -1, 100_001, 2**53, -(2**53)):
        await h.do(
            "organiser",
            "events create",
            {"when": h.seed_when, "title": "Cap"},
            "capacity_out_of_range",
            forged={"capacity": capacity},
            label=f"capacity={capacity}",
        )
        await h.do(
            "organiser",
            "events edit",
            {"event": seed},
            "capacity_out_of_range",
            forged={"capacity": capacity},
            label=f"capacity={capacity}",
        )
    for next_number in (0, -5, 10_000, 2**53):
        await h.do(
            "organiser",
            "events series",
            {"name": "Numbers"},
            "series_number_out_of_range",
            forged={"next_number": next_number},
            label=f"next_number={next_number}",
        )
    await h.do(
        "organiser",
        "events series",
        {"name": "Big rota", "hosts": ("Tŷ Hafan," * 30)},
        "series_too_many_hosts",
    )
    await h.do("organiser", "events series", {"name": "Long host", "hosts": LONG}, "too_long")
    # What the Discord client blocks, the driver refuses too (so those values are forged).
    for blocked in ({"title": "ŵ" * 101}, {"title": "x", "capacity": 0}, {"title": ""}):
        with pytest.raises(DriverError):
            await h.driver.slash(
                h.world.organiser, "events create", options={"when": h.seed_when, **blocked}
            )
    # Strings past their declared max_length, or empty where one is required (forged).
    for field_name, limit in (("title", 100), ("where", 100), ("host", 100), ("description", 2000)):
        for value in (WELSH * 2 + "ŵ" * (limit + 1), LONG):
            await h.do(
                "organiser",
                "events create",
                {"when": h.seed_when, "title": "Forged"}
                if field_name != "title"
                else {"when": h.seed_when},
                "too_long",
                forged={field_name: value},
                label=f"{field_name} of {len(value)}",
            )
    await h.do(
        "organiser",
        "events create",
        {"when": h.seed_when},
        "title_missing",
        forged={"title": ""},
        label="title empty",
    )
    await h.do(
        "organiser",
        "events cancel",
        {"event": seed},
        "too_long",
        forged={"reason": LONG},
        label="reason 6000",
    )
    await h.do(
        "organiser", "events series", {}, "too_long", forged={"name": LONG}, label="name 6000"
    )
    await h.do(
        "organiser",
        "events series",
        {},
        "series_name_missing",
        forged={"name": ""},
        label="name empty",
    )

    # A meeting of a series with a hostile name, then every list and view of what was made.
    await h.do(
        "organiser",
        "events series",
        {"name": "@everyone <@&{role}> ŵ", "hosts": "<@{user}>, ||x||"},
        "ok",
    )
    await h.do(
        "organiser",
        "events create",
        {"when": h.seed_when, "series": "@everyone <@&{role}> ŵ"},
        "ok",
        label="series with a hostile name",
    )
    for region in ("North Wales", "Online", None):
        for path in ("events upcoming", "events past"):
            options = {"region": region} if region else {}
            reply = await h.do("member", path, options, "ok", label=f"list {region}")
            while (
                reply is not None
                and reply.message is not None
                and any(
                    b.get("label") == text.BUTTON_NEXT and not b.get("disabled")
                    for b in reply.buttons()
                )
            ):
                reply = await h.click(
                    "member", reply.message, text.BUTTON_NEXT, f"/{path} next page"
                )
    for (event_id,) in await h.rows("SELECT id FROM events ORDER BY id"):
        await h.do(
            "member", "events info", {"event": str(event_id)}, "ok", label=f"info {event_id}"
        )
        await h.do(
            "member",
            "events calendar",
            {"event": str(event_id)},
            "ok",
            label=f"calendar {event_id}",
        )
    await h.do("organiser", "events attendees", {"event": seed}, "ok")
    await h.do("member", "events calendar", {}, "ok")
    # One cancellation confirmed, with a reason full of mentions.
    prompt = await h.do(
        "organiser",
        "events cancel",
        {"event": seed, "reason": "@everyone <@&{role}> <@{user}> ||gone||"},
        "ok",
    )
    if prompt is not None and prompt.message is not None:
        await h.click("organiser", prompt.message, text.BUTTON_CANCEL_CONFIRM, "confirm cancel")


async def letters_group(h: Harness) -> None:
    seed = str(h.seed_letter)
    # `channel:` must be one the organiser can see and send in (issue 15), form or no form.
    for label, overwrites, expect in CHANNELS:
        for body, answer in ((BODY, expect), (None, "modal" if expect == "ok" else expect)):
            channel = corpus_channel(h, f"letter {label}", overwrites)
            options: dict[str, Any] = {"title": f"In {label}", "addressee": "S", "channel": channel}
            if body is not None:
                options["body"] = body
            await h.do(
                "organiser",
                "letter create",
                options,
                answer,
                label=f"channel {label} {'with' if body else 'without'} body",
            )
    for ref in REFS:
        for path, extra, who in (
            ("letter info", {}, "member"),
            ("letter signatures", {}, "member"),
            ("letter withdraw", {}, "member"),
            ("letter sign", {"name": "Rhian"}, "member"),
            ("letter export", {}, "organiser"),
            ("letter close", {}, "organiser"),
            ("letter edit", {"title": "x"}, "organiser"),
        ):
            await h.do(
                who,
                path,
                {"letter": ref, **extra},
                "letter_not_found",
                label=f"letter={ref[:40]!r}",
            )

    for name, value in h.texts():
        typed = {"title": fit(value, 150), "addressee": fit(value, 200), "body": fit(value, 4000)}

        async def stored_as_typed(reply: Reply, typed: dict[str, str] = typed) -> str | None:
            row = await h.rows("SELECT title, addressee FROM letters ORDER BY id DESC LIMIT 1")
            want = (cleaned(typed["title"]), cleaned(typed["addressee"]))
            return None if row[0] == want else f"stored {row[0]!r}, typed {want!r}"

        create = Case(
            "organiser",
            "letter create",
            typed,
            expect_for(value, "letter_title_missing"),
            label=f"text {name}",
        )
        if create.expect == "ok":
            await h.verified(create, stored_as_typed)
        else:
            await h.run(create)
        await h.do(
            "organiser", "letter edit", {"letter": seed, **typed}, "any", label=f"text {name}"
        )

        async def signed_as_typed(reply: Reply, value: str = value) -> str | None:
            got = await h.scalar(
                "SELECT name FROM signatures WHERE letter_id = ? AND user_id = ?",
                h.seed_letter,
                h.world.dafydd.id,
            )
            want = cleaned(fit(value, 80)) or "Dafydd"
            return None if got == want else f"stored name {got!r}, typed {want!r}"

        await h.do(
            "dafydd",
            "letter sign",
            {"letter": seed, "name": "Dafydd"},
            "ok",
            label="sign first",
        )
        sign = Case(
            "dafydd",
            "letter sign",
            {
                "letter": seed,
                "name": fit(value, 80),
                "organisation": fit(value, 100),
                "public": name != "emoji",
            },
            expect_organisation(fit(value, 100), optional=True),
            label=f"text {name}",
        )
        if sign.expect == "ok":
            await h.verified(sign, signed_as_typed)
        else:
            await h.run(sign)
        await h.do("dafydd", "letter withdraw", {"letter": seed}, "ok", label=f"withdraw ({name})")
    for when, expect in h.whens:
        closes_expect = "ok" if not when else expect
        await h.do(
            "organiser",
            "letter create",
            {"title": "Closes test", "addressee": "Senedd", "body": BODY, "closes": when},
            closes_expect,
            label=f"closes={when[:40]!r}",
        )
    later = dates.typed(dates.at_local(h.now, days=59, at="17:00"))
    for when in ("-", "yesterday 10am", "banana", LONG, later):
        await h.do(
            "organiser",
            "letter edit",
            {"letter": seed, "closes": when},
            "any",
            label=f"closes={when[:40]!r}",
        )
    for milestone in (1, 1_000_000):
        await h.do(
            "organiser",
            "letter create",
            {"title": "M", "addressee": "S", "body": BODY, "milestone": milestone},
            "ok",
            label=f"milestone={milestone}",
        )
    for milestone in (0, -1, 1_000_001, 2**53):
        await h.do(
            "organiser",
            "letter create",
            {"title": "M", "addressee": "S", "body": BODY},
            "letter_milestone_out_of_range",
            forged={"milestone": milestone},
            label=f"milestone={milestone}",
        )
        await h.do(
            "organiser",
            "letter edit",
            {"letter": seed},
            "letter_milestone_out_of_range",
            forged={"milestone": milestone},
            label=f"milestone={milestone}",
        )
    for field_name, limit in (("title", 150), ("addressee", 200), ("body", 4000)):
        base = {"title": "T", "addressee": "A", "body": BODY}
        base.pop(field_name)
        await h.do(
            "organiser",
            "letter create",
            base,
            "too_long",
            forged={field_name: ("ŵ" * (limit + 1))},
            label=f"{field_name} of {limit + 1}",
        )
        await h.do(
            "organiser",
            "letter create",
            base,
            "too_long",
            forged={field_name: LONG},
            label=f"{field_name} of 6000",
        )
    await h.do(
        "organiser",
        "letter create",
        {"addressee": "A", "body": BODY},
        "letter_title_missing",
        forged={"title": ""},
        label="title empty",
    )
    await h.do(
        "member",
        "letter sign",
        {"letter": seed},
        "too_long",
        forged={"name": LONG},
        label="name of 6000",
    )
    await h.do(
        "member",
        "letter sign",
        {"letter": seed, "name": "R"},
        "too_long",
        forged={"organisation": "ŵ" * 101},
        label="organisation of 101",
    )
    await h.do(
        "member",
        "letter sign",
        {"letter": seed, "name": "Rhian", "organisation": "-"},
        "ok",
        label="organisation -",
    )
    await h.do(
        "dafydd",
        "letter withdraw",
        {"letter": seed},
        "letter_not_signed",
        label="withdraw twice",
    )
    await h.do("member", "letter list", {}, "ok")
    for (letter_id,) in await h.rows("SELECT id FROM letters ORDER BY id"):
        await h.do(
            "member", "letter info", {"letter": str(letter_id)}, "ok", label=f"info {letter_id}"
        )
        await h.do(
            "member",
            "letter signatures",
            {"letter": str(letter_id)},
            "ok",
            label=f"signatures {letter_id}",
        )
    for export_format in ("markdown", "csv"):
        await h.do("organiser", "letter export", {"letter": seed, "format": export_format}, "ok")
    prompt = await h.do("organiser", "letter close", {"letter": seed}, "ok")
    if prompt is not None and prompt.message is not None:
        await h.click("organiser", prompt.message, text.BUTTON_CLOSE_KEEP, "keep the letter open")


async def setup_group(h: Harness) -> None:
    for zone, expect in ZONES:
        await h.do("admin", "setup timezone", {"zone": zone}, expect, label=f"zone={zone[:40]!r}")
    await h.do("admin", "setup timezone", {"zone": "Europe/London"}, "ok", label="zone back")
    for offsets, expect in OFFSETS:
        await h.do(
            "admin",
            "setup reminders",
            {"offsets": offsets},
            expect,
            label=f"offsets={offsets[:40]!r}",
        )
    for months, expect in RETENTIONS:
        await h.do("admin", "setup retention", {"months": months}, expect, label=f"months={months}")
    for offsets in ("", "   "):
        await h.do(
            "admin",
            "setup reminders",
            {"offsets": offsets},
            "offsets_unreadable",
            label=f"offsets={offsets!r}",
        )
    for at, expect in TIMES_OF_DAY:
        for enabled in (True, False):
            digest_expect = expect if enabled or expect != "ok" else "ok"
            await h.do(
                "admin",
                "setup digest",
                {"enabled": enabled, "day": "sunday", "time": at},
                "any" if not enabled else digest_expect,
                label=f"time={at[:40]!r} enabled={enabled}",
            )
    await h.do("admin", "setup digest", {"enabled": True}, "ok")
    await h.do("admin", "setup organiser-role", {"role": h.world.organisers}, "ok")
    await h.do("admin", "setup ping-role", {}, "ok")
    await h.do("admin", "setup ping-role", {"role": h.world.members}, "ok")
    await h.do("admin", "setup channel", {"announcements": h.world.general}, "ok")
    await h.do("admin", "setup channel", {"announcements": h.world.announcements}, "ok")
    await h.do("admin", "setup show", {}, "ok")


async def member_group(h: Harness) -> None:
    seed = str(h.seed_event)
    for ref in REFS:
        await h.do(
            "member",
            "reminders add",
            {"event": ref, "before": "1h"},
            "event_not_found",
            label=f"event={ref[:40]!r}",
        )
        await h.do(
            "member",
            "reminders cancel",
            {"reminder": ref},
            "reminder_not_found",
            label=f"reminder={ref[:40]!r}",
        )
    for before, expect in BEFORES:
        await h.do(
            "member",
            "reminders add",
            {"event": seed, "before": before},
            expect,
            label=f"before={before[:40]!r}",
        )
    await h.do(
        "member",
        "reminders add",
        {"event": seed, "before": "2h"},
        "reminder_duplicate",
        label="the same again",
    )
    await h.do("member", "reminders list", {}, "ok")
    reminder_id = await h.scalar("SELECT id FROM reminders WHERE user_id = ?", h.world.rhian.id)
    await h.do(
        "member",
        "reminders cancel",
        {"reminder": f" {reminder_id} "},
        "ok",
        label="own reminder",
    )
    await h.do(
        "dafydd",
        "reminders cancel",
        {"reminder": str(reminder_id)},
        "reminder_not_found",
        label="someone else's",
    )
    for enabled in (False, True):
        await h.do("member", "reminders dms", {"enabled": enabled}, "ok")
    for name, value in h.texts():

        async def joined_as_typed(reply: Reply, value: str = value) -> str | None:
            got = await h.scalar(
                "SELECT organisation FROM network_members WHERE user_id = ?", h.world.rhian.id
            )
            return None if got == cleaned(fit(value, 100)) else f"stored {got!r}"

        case = Case(
            "member",
            "network join",
            {"organisation": fit(value, 100), "region": "West Wales"},
            expect_organisation(fit(value, 100)),
            label=f"text {name}",
        )
        if case.expect == "ok":
            await h.verified(case, joined_as_typed)
        else:
            await h.run(case)
    await h.do(
        "member",
        "network join",
        {},
        "too_long",
        forged={"organisation": LONG},
        label="organisation of 6000",
    )
    await h.do(
        "member",
        "network join",
        {},
        "organisation_empty",
        forged={"organisation": ""},
        label="organisation empty",
    )
    await h.do("member", "network stats", {}, "ok")
    await h.do("member", "network leave", {}, "ok")
    await h.do("member", "network leave", {}, "network_not_member", label="leave twice")
    await h.do("member", "privacy mydata", {}, "ok")
    prompt = await h.do("member", "privacy forget", {}, "ok")
    if prompt is not None and prompt.message is not None:
        await h.click("member", prompt.message, text.PRIVACY_KEEP_BUTTON, "keep my data")
    await h.do("member", "help", {}, "ok")


AUTOCOMPLETES = [
    ("events edit", "event", None),
    ("events info", "event", None),
    ("events cancel", "event", None),
    ("events attendees", "event", None),
    ("events calendar", "event", None),
    ("events create", "series", None),
    ("events create", "host", 100),
    ("events edit", "host", 100),
    ("events series", "name", 90),
    ("reminders add", "event", None),
    ("reminders cancel", "reminder", None),
    ("letter edit", "letter", None),
    ("letter sign", "letter", None),
    ("letter sign", "organisation", 100),
    ("letter info", "letter", None),
    ("letter withdraw", "letter", None),
    ("network join", "organisation", 100),
    ("setup timezone", "zone", None),
]


async def autocomplete_group(h: Harness) -> None:
    # Things to find whose own names are hostile (and long), so choice labels must be cut.
    await h.do(
        "organiser",
        "events create",
        {"when": h.seed_when, "title": "ŵ" * 100, "host": "@everyone " + "ŷ" * 90},
        "ok",
    )
    await h.do(
        "organiser",
        "letter create",
        {"title": "🎉" * 150, "addressee": "A", "body": BODY},
        "ok",
    )
    await h.do(
        "member",
        "letter sign",
        {"letter": "🎉" * 150, "name": "R", "organisation": "ŵ" * 100},
        "ok",
    )
    await h.do("member", "network join", {"organisation": "ŷ" * 100}, "ok")
    await h.do("member", "reminders add", {"event": str(h.seed_event), "before": "1d"}, "ok")
    typed_values = [v for _, v in TEXTS] + REFS + ["ŵ", "🎉", "e\u0301"]
    for path, option, limit in AUTOCOMPLETES:
        for typed in typed_values:
            value = fill(typed, h.ids)
            if limit is not None:
                value = fit(value, limit)
            await h.autocomplete("member", path, option, value, f"/{path} {option}: {value[:40]!r}")


async def modals_group(h: Harness) -> None:
    # The letter's text, typed into the form /letter create opens when `body` is left out.
    for name, value in [*h.texts(), ("6000 cut to the form's 4000", LONG[:4000])]:
        if not value:
            continue
        opened = await h.do(
            "organiser",
            "letter create",
            {"title": f"Modal {name}"[:150], "addressee": "Senedd"},
            "modal",
            label=f"form for {name}",
        )
        if opened is None or opened.type != 9:
            continue
        body = fit(value, 4000)
        expect = "letter_body_missing" if not cleaned(body) else "ok"
        await h.submit("organiser", {"body": body}, expect, f"letter body {name}")
    # Refusals that come before the form opens.
    await h.do(
        "organiser",
        "letter create",
        {"title": "x", "addressee": "y", "closes": "banana"},
        "when_unreadable",
        label="closes before the form",
    )
    await h.do(
        "member",
        "letter create",
        {"title": "x", "addressee": "y"},
        "not_organiser",
        label="a member's form",
    )
    # A letter with a title longer than a form's title may be (45): the sign form cuts it.
    await h.do(
        "organiser",
        "letter create",
        {"title": (WELSH * 3)[:150], "addressee": "Senedd", "body": BODY},
        "ok",
        label="long title",
    )
    long_id = await h.scalar("SELECT id FROM letters ORDER BY id DESC LIMIT 1")
    # Name and organisation in the sign form, from /letter sign and from the post's button.
    # A blank name is refused until the member has signed once; then it keeps the old one.
    signed = False
    for name, value in h.texts():
        opened = await h.do(
            "member",
            "letter sign",
            {"letter": str(long_id)},
            "modal",
            label=f"sign form {name}",
        )
        if opened is None or opened.type != 9:
            continue
        signer_name, organisation = fit(value, 80), fit(value, 100)
        expect = (
            expect_organisation(organisation, optional=True)
            if cleaned(signer_name) or signed
            else "letter_name_missing"
        )
        await h.submit(
            "member",
            {"name": signer_name, "organisation": organisation},
            expect,
            f"sign form {name}",
        )
        signed = signed or expect == "ok"
    post_id = await h.scalar("SELECT message_id FROM letters WHERE id = ?", h.seed_letter)
    post = h.server.messages[post_id]
    signed = False
    for name, value in h.texts()[:12]:
        opened = await h.click("dafydd", post, text.BUTTON_SIGN, f"Sign button ({name})")
        if opened is None or opened.type != 9:
            h.fail(f"Sign button ({name})", "no form")
            continue
        signer_name = fit(value, 80)
        expect = (
            expect_organisation(fit(value, 100), optional=True)
            if cleaned(signer_name) or signed
            else "letter_name_missing"
        )
        await h.submit(
            "dafydd",
            {"name": signer_name, "organisation": fit(value, 100)},
            expect,
            f"Sign button form {name}",
        )
        signed = signed or expect == "ok"


def test_the_corpus_has_at_least_200_distinct_inputs(clock: Callable[[], datetime]) -> None:
    corpus = [
        *(v for _, v in TEXTS),
        *(v for v, _ in whens(clock())),
        *(v for v, _ in DURATIONS),
        *(v for v, _ in OFFSETS),
        *(v for v, _ in BEFORES),
        *(v for v, _ in ZONES),
        *(v for v, _ in TIMES_OF_DAY),
        *REFS,
    ]
    assert len(corpus) >= 200
    assert max(len(v) for v in corpus) == 6000


GROUPS: dict[str, Callable[[Harness], Awaitable[None]]] = {
    "events": events_group,
    "letters": letters_group,
    "setup": setup_group,
    "member": member_group,
    "autocomplete": autocomplete_group,
    "modals": modals_group,
}


@pytest.mark.parametrize("group", list(GROUPS))
async def test_hostile_input_is_refused_clearly_or_handled(
    group: str,
    bot_app: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    caplog: pytest.LogCaptureFixture,
    clock: Callable[[], datetime],
) -> None:
    caplog.set_level(logging.INFO)
    harness = Harness(bot_app, driver, discord_server, world, caplog, clock())
    started = time.monotonic()
    await harness.prepare()
    await GROUPS[group](harness)
    await harness.finish()
    print(
        f"{group}: {harness.inputs} inputs in {time.monotonic() - started:.1f}s, "
        f"slowest answer {harness.slowest * 1000:.0f} ms"
    )
    assert not harness.failures, f"{len(harness.failures)} problem(s):\n" + "\n".join(
        harness.failures[:60]
    )
