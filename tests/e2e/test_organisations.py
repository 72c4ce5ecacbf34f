"""Organisations as records (#19) through the local Discord: the paged list with its member
counts, an organiser editing a record's Welsh name and aliases (which then find it), a merge
with its confirmation (kept, or confirmed: everything moves and the counts follow), a merge
while members sign, and autocomplete offering a record by any of its spellings wherever an
organisation is typed."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import pytest

from bot import text
from bot.domain.organisations import PAGE_SIZE
from tests.e2e.conftest import CoproWorld
from tests.fakediscord import Driver, FakeDiscord, Reply
from tests.fakediscord.models import Member, Message
from tests.support.counts import english_count
from tests.support.dates import at_local, typed
from tests.support.fakes import FakeClock

LETTER = {
    "title": "Open Letter to the First Minister",
    "addressee": "The First Minister of Wales",
    "body": "We ask that the principles of co-production are placed at the heart of services.",
}
SERIES = "S. Wales Network Meeting"
EDITED_ALIASES = "CCC, C.C.C., Cardiff City Council"  # C.C.C. is CCC again: kept once


@pytest.fixture
async def ready(bot_app: Any, driver: Driver, world: CoproWorld) -> Any:
    reply = await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    assert reply.ephemeral
    return bot_app


def line(name: str, members: int, also: str | None = None) -> str:
    """A record's line in `/network organisations`."""
    shown = text.ORGANISATIONS_LINE.format(
        name=name, members=english_count("MEMBER_WORDS", members)
    )
    return shown + (" · " + text.ORGANISATIONS_ALSO.format(names=also) if also else "")


def footer(page: int, pages: int, total: int) -> str:
    return text.ORGANISATIONS_FOOTER.format(
        page=page, pages=pages, organisations=english_count("LETTER_ORGANISATION_WORDS", total)
    )


def tally(signatures: int, organisations: int) -> str:
    """A letter post's count: "3 signatures from 2 organisations"."""
    return text.LETTER_TALLY.format(
        signatures=english_count("LETTER_SIGNATURE_WORDS", signatures),
        organisations=english_count("LETTER_ORGANISATION_WORDS", organisations),
    )


def headline(people: int, organisations: int) -> str:
    return text.NETWORK_HEADLINE.format(
        people=english_count("MEMBER_WORDS", people),
        organisations=english_count("LETTER_ORGANISATION_WORDS", organisations),
    )


def lines_of(message: Message | Reply) -> list[str]:
    description = message.embeds[0].get("description") or ""
    return str(description).split("\n")


def footer_of(message: Message | Reply) -> str:
    return str(message.embeds[0].get("footer", {}).get("text", ""))


def button(message: Message, label: str) -> dict[str, Any]:
    return next(b for b in message.buttons() if b.get("label") == label)


def refused(reply: Reply, key: str, **params: object) -> None:
    assert reply.ephemeral, reply.text
    assert reply.text == text.error_text(key, **params), reply.text
    assert reply.buttons() == [] and reply.modal is None


async def rows(bot: Any, sql: str, *args: object) -> list[tuple[Any, ...]]:
    async with bot.db.reading() as conn:
        found = await conn.execute_fetchall(sql, args)
    return [tuple(row) for row in found]


async def record_id(bot: Any, world: CoproWorld, name: str) -> int:
    return int((await bot.organisation_service.find(world.guild.id, name)).id)


async def join(driver: Driver, who: Any, organisation: str) -> Reply:
    reply = await driver.slash(who, "network join", organisation=organisation)
    assert reply.ephemeral, reply.text
    return reply


def listed_with(organisation: str) -> str:
    return text.NETWORK_JOINED.format(organisation=organisation, region="")


async def create_letter(driver: Driver, world: CoproWorld, clock: FakeClock) -> tuple[str, Message]:
    """An open letter (closing a month on) and its post in #announcements."""
    closes = typed(at_local(clock(), days=33, at="17:00"))
    reply = await driver.slash(
        world.organiser, "letter create", options={**LETTER, "closes": closes}
    )
    assert reply.ephemeral and "Posted" in reply.text, reply.text
    [post] = [
        m
        for m in driver.messages(world.announcements)
        if not m.deleted and any(b["custom_id"].startswith("letter:sign:") for b in m.buttons())
    ]
    return post.buttons()[0]["custom_id"].rsplit(":", 1)[1], post


def signatures_line(post: Message) -> str:
    return next(f["value"] for f in post.embeds[0]["fields"] if f["name"] == text.LETTER_SIGNATURES)


async def wait_count(driver: Driver, post: Message, shown: str) -> None:
    """Wait until the letter post (redrawn in the background) shows `shown`."""
    await driver.wait_for(
        lambda: shown in signatures_line(post),
        message=f"the post never showed {shown!r}: {signatures_line(post)!r}",
    )


async def sign(driver: Driver, who: Member, letter: str, organisation: str | None) -> Reply:
    options = {"letter": letter, "name": who.display_name}
    if organisation is not None:
        options["organisation"] = organisation
    reply = await driver.slash(who, "letter sign", options=options)
    assert reply.ephemeral, reply.text
    return reply


async def announce(driver: Driver, world: CoproWorld, clock: FakeClock, host: str) -> Message:
    when: datetime = at_local(clock(), days=14)
    reply = await driver.slash(
        world.organiser,
        "events create",
        when=typed(when),
        title="S. Wales Network Meeting 5",
        host=host,
    )
    assert reply.ephemeral and "Posted" in reply.text, reply.text
    return [m for m in driver.messages(world.announcements) if m.embeds and not m.deleted][-1]


# --- the list ------------------------------------------------------------------------------


async def test_the_list_counts_members_and_pages_on_with_buttons_and_the_page_option(
    ready: Any, driver: Driver, world: CoproWorld, clock: FakeClock
) -> None:
    # three spellings of one body, two of another, PAGE_SIZE bodies of one member each
    # (listed through the service: no Discord members), and a host nobody is listed with
    await join(driver, world.rhian, "Cardiff Council")
    await join(driver, world.dafydd, "cardiff  COUNCIL")
    await join(driver, world.organiser, "Cardiff-Council.")
    await join(driver, world.admin, "Tai Tarian")
    await ready.network_service.join(world.guild.id, 7_000, "tai tarian", None)
    singles = [f"Org {n:02d}" for n in range(1, PAGE_SIZE + 1)]
    for n, name in enumerate(singles):
        await ready.network_service.join(world.guild.id, 8_000 + n, name, None)
    await announce(driver, world, clock, host="Valleys Arts")
    total = 2 + PAGE_SIZE + 1

    first = await driver.slash(world.rhian, "network organisations")
    assert first.ephemeral
    assert first.embed().title == text.ORGANISATIONS_TITLE
    expected = [
        line("Cardiff Council", 3),
        line("Tai Tarian", 2),
        *(line(name, 1) for name in singles[: PAGE_SIZE - 2]),
    ]
    assert lines_of(first) == expected  # most members first, then by name
    assert footer_of(first) == footer(1, 2, total)
    page_one = driver.message(first)
    assert button(page_one, text.BUTTON_PREVIOUS).get("disabled") is True
    assert not button(page_one, text.BUTTON_NEXT).get("disabled")

    rest = [*(line(name, 1) for name in singles[PAGE_SIZE - 2 :]), line("Valleys Arts", 0)]
    await driver.click(world.rhian, first, text.BUTTON_NEXT)
    assert lines_of(page_one) == rest  # the same private message, now page 2
    assert footer_of(page_one) == footer(2, 2, total)
    assert button(page_one, text.BUTTON_NEXT).get("disabled") is True
    await driver.click(world.rhian, page_one, text.BUTTON_PREVIOUS)
    assert lines_of(page_one) == expected and footer_of(page_one) == footer(1, 2, total)

    second = await driver.slash(world.dafydd, "network organisations", page=2)
    assert second.ephemeral and lines_of(second) == rest
    assert footer_of(second) == footer(2, 2, total)
    beyond = await driver.slash(world.dafydd, "network organisations", page=99)
    assert lines_of(beyond) == rest and footer_of(beyond) == footer(2, 2, total)  # the last page


async def test_one_page_has_no_buttons(ready: Any, driver: Driver, world: CoproWorld) -> None:
    empty = await driver.slash(world.rhian, "network organisations")
    assert empty.ephemeral and empty.embed().description == text.ORGANISATIONS_EMPTY
    await join(driver, world.rhian, "Cardiff Council")
    shown = await driver.slash(world.rhian, "network organisations")
    assert lines_of(shown) == [line("Cardiff Council", 1)]
    assert footer_of(shown) == footer(1, 1, 1) and shown.buttons() == []


# --- editing a record ----------------------------------------------------------------------


async def test_an_organiser_gives_a_welsh_name_and_aliases_that_then_find_the_record(
    ready: Any, driver: Driver, world: CoproWorld, discord_server: FakeDiscord
) -> None:
    await join(driver, world.rhian, "Cardiff Council")
    await join(driver, world.dafydd, "Tai Tarian")

    by_member = await driver.slash(
        world.rhian,
        "network organisation",
        organisation="Cardiff Council",
        welsh_name="Cyngor Caerdydd",
    )
    refused(by_member, "not_organiser")
    nothing = await driver.slash(world.organiser, "network organisation", organisation="Tai Tarian")
    refused(nothing, "edit_nothing")

    saved = await driver.slash(
        world.organiser,
        "network organisation",
        organisation="cardiff council",  # as typed: any spelling of it finds it
        welsh_name="Cyngor Caerdydd",
        aliases=EDITED_ALIASES,
    )
    assert saved.ephemeral
    assert saved.text == "\n".join(
        [
            text.ORGANISATION_SAVED.format(name="Cardiff Council"),
            text.ORGANISATION_WELSH.format(welsh="Cyngor Caerdydd"),
            text.ORGANISATION_ALIASES.format(aliases="CCC, Cardiff City Council"),
        ]
    )
    cardiff = await record_id(ready, world, "Cardiff Council")

    # typing the Welsh name or an alias in /network join lands on the record
    sian = discord_server.add_member(world.guild, "Siân Hughes", roles=[world.members])
    ifan = discord_server.add_member(world.guild, "Ifan Rees", roles=[world.members])
    assert (await join(driver, sian, "cardiff city council")).text == listed_with("Cardiff Council")
    assert (await join(driver, ifan, "CYNGOR CAERDYDD")).text == listed_with("Cardiff Council")
    assert (await join(driver, world.admin, "c.c.c")).text == listed_with("Cardiff Council")
    assert await rows(
        ready, "SELECT organisation_id, count(*) FROM network_members GROUP BY organisation_id"
    ) == [(cardiff, 4), (await record_id(ready, world, "Tai Tarian"), 1)]
    stats = await driver.slash(world.rhian, "network stats")
    assert stats.embed().description == headline(5, 2)
    listed = await driver.slash(world.rhian, "network organisations")
    assert lines_of(listed) == [
        line("Cardiff Council", 4, "Cyngor Caerdydd, CCC, Cardiff City Council"),
        line("Tai Tarian", 1),
    ]

    # a spelling that already names another record is refused, naming it; nothing changes
    taken = await driver.slash(
        world.organiser,
        "network organisation",
        organisation="Tai Tarian",
        aliases="Tai, cyngor caerdydd",
    )
    refused(taken, "organisation_name_taken", spelling="cyngor caerdydd", other="Cardiff Council")
    renamed = await driver.slash(
        world.organiser, "network organisation", organisation="Tai Tarian", name="CCC"
    )
    refused(renamed, "organisation_name_taken", spelling="CCC", other="Cardiff Council")
    welsh = await driver.slash(
        world.organiser,
        "network organisation",
        organisation="Tai Tarian",
        welsh_name="Cardiff City Council",
    )
    refused(
        welsh, "organisation_name_taken", spelling="Cardiff City Council", other="Cardiff Council"
    )
    again = await driver.slash(world.rhian, "network organisations")
    assert lines_of(again) == lines_of(listed)  # Tai Tarian still has no other names
    unknown = await driver.slash(
        world.organiser, "network organisation", organisation="Nowhere Trust", name="Somewhere"
    )
    refused(unknown, "organisation_not_found", text="Nowhere Trust")


# --- merging -------------------------------------------------------------------------------


async def test_merge_kept_then_confirmed_moves_everything_and_the_counts_follow(
    ready: Any, driver: Driver, world: CoproWorld, clock: FakeClock
) -> None:
    letter, post = await create_letter(driver, world, clock)
    await join(driver, world.rhian, "Cardiff Council")
    await join(driver, world.dafydd, "Cyngor Caerdydd")  # a duplicate, not yet known as one
    await sign(driver, world.rhian, letter, "Cardiff Council")
    await sign(driver, world.dafydd, letter, "Cyngor Caerdydd")
    await sign(driver, world.admin, letter, "Tai Tarian")
    await announce(driver, world, clock, host="cyngor caerdydd")
    rota = await driver.slash(
        world.organiser, "events series", name=SERIES, hosts="cyngor caerdydd, Tai Tarian"
    )
    assert "Cyngor Caerdydd" in rota.text, rota.text  # the rota names the record
    await wait_count(driver, post, tally(3, 3))
    assert (await driver.slash(world.rhian, "network stats")).embed().description == headline(2, 2)
    source = await record_id(ready, world, "Cyngor Caerdydd")
    into = await record_id(ready, world, "Cardiff Council")

    itself = await driver.slash(
        world.organiser,
        "network merge",
        options={"from": "Cardiff Council", "into": "cardiff-council"},
    )
    refused(itself, "organisation_merge_itself")
    by_member = await driver.slash(
        world.rhian, "network merge", options={"from": "Cyngor Caerdydd", "into": "Cardiff Council"}
    )
    refused(by_member, "not_organiser")

    merge = {"from": "Cyngor Caerdydd", "into": "Cardiff Council"}
    asked = await driver.slash(world.organiser, "network merge", options=merge)
    assert asked.ephemeral
    assert asked.text == text.ORGANISATION_MERGE_PROMPT.format(
        source="Cyngor Caerdydd", into="Cardiff Council"
    )
    assert [b["label"] for b in asked.buttons()] == [
        text.BUTTON_MERGE_CONFIRM,
        text.BUTTON_MERGE_KEEP,
    ]
    await driver.click(world.organiser, asked, text.BUTTON_MERGE_KEEP)
    kept = driver.message(asked)
    assert kept.content == text.ORGANISATION_MERGE_KEPT and kept.buttons() == []
    assert await record_id(ready, world, "Cyngor Caerdydd") == source  # both still there
    listed = await driver.slash(world.rhian, "network organisations")
    assert footer_of(listed) == footer(1, 1, 3)
    assert (await driver.slash(world.rhian, "network stats")).embed().description == headline(2, 2)

    prompt = await driver.slash(world.organiser, "network merge", options=merge)
    await driver.click(world.organiser, prompt, text.BUTTON_MERGE_CONFIRM)
    done = driver.message(prompt)
    assert done.content == text.ORGANISATION_MERGED.format(
        source="Cyngor Caerdydd",
        into="Cardiff Council",
        members=english_count("MEMBER_WORDS", 1),
        signatures=english_count("LETTER_SIGNATURE_WORDS", 1),
        events=english_count("ORGANISATION_EVENT_WORDS", 1),
    )
    assert done.buttons() == []

    # every member, signature and host names the record that stayed; the duplicate is gone
    assert await rows(ready, "SELECT count(*) FROM organisations WHERE id = ?", source) == [(0,)]
    assert await rows(ready, "SELECT organisation_id FROM network_members") == [(into,), (into,)]
    assert await rows(
        ready,
        "SELECT user_id, organisation_id FROM signatures WHERE organisation_id = ? ORDER BY user_id",
        into,
    ) == sorted([(world.rhian.id, into), (world.dafydd.id, into)])
    [event] = (await ready.event_service.list_events(world.guild.id, 0)).events
    info = await driver.slash(world.rhian, "events info", event=str(event.id))
    assert {f.name: f.value for f in info.embed().fields}[text.EMBED_HOST] == "Cardiff Council"
    assert await rows(ready, "SELECT host, host_organisation_id FROM events") == [
        ("Cardiff Council", into)
    ]

    assert await rows(ready, "SELECT hosts FROM series") == [('["Cardiff Council", "Tai Tarian"]',)]
    shown = await driver.slash(world.organiser, "events series", name=SERIES)
    assert "Cardiff Council" in shown.text and "Cyngor Caerdydd" not in shown.text, shown.text

    # the counts count records: the network's figures and the letter post, redrawn
    assert (await driver.slash(world.rhian, "network stats")).embed().description == headline(2, 1)
    await wait_count(driver, post, tally(3, 2))
    listed = await driver.slash(world.rhian, "network organisations")
    assert lines_of(listed) == [
        line("Cardiff Council", 2, "Cyngor Caerdydd"),
        line("Tai Tarian", 0),
    ]
    assert footer_of(listed) == footer(1, 1, 2)
    names = await driver.slash(world.rhian, "letter signatures", letter=letter)
    assert "Dafydd Jones (Cardiff Council)" in names.text

    # the old name now finds the record it went into: merging them again is merging one
    again = await driver.slash(world.organiser, "network merge", options=merge)
    refused(again, "organisation_merge_itself")
    assert (await join(driver, world.organiser, "Cyngor Caerdydd")).text == listed_with(
        "Cardiff Council"
    )


async def test_merge_redraws_the_posts_of_the_events_it_hosted(
    ready: Any, driver: Driver, world: CoproWorld, clock: FakeClock
) -> None:
    await join(driver, world.rhian, "Cardiff Council")
    post = await announce(driver, world, clock, host="Cyngor Caerdydd")

    def host_on_post() -> str:
        fields = post.embeds[0]["fields"]
        return str(next(f["value"] for f in fields if f["name"] == text.EMBED_HOST))

    assert host_on_post() == "Cyngor Caerdydd"
    prompt = await driver.slash(
        world.organiser,
        "network merge",
        options={"from": "Cyngor Caerdydd", "into": "Cardiff Council"},
    )
    assert prompt.message is not None
    await driver.click(world.organiser, prompt.message, text.BUTTON_MERGE_CONFIRM)
    await driver.wait_for(
        lambda: host_on_post() == "Cardiff Council", message="the post still names the old host"
    )


CALLBACK = "POST /interactions/{webhook_id}/{webhook_token}/callback"


def hold_defers(
    server: FakeDiscord,
    together: int,
    later: set[int],
    until: Callable[[], Awaitable[bool | None]],
) -> None:
    """Hold the answers to the bot's first replies (its defers): of the first `together`
    interactions until all of them are in, so that the work each does next runs side by
    side; of those by the members in `later` until `until()` holds."""
    arrived: list[int] = []

    async def hook(answer: Any) -> None:
        record = server.interactions[int(answer.params["webhook_id"])]
        if record.user.id in later:
            let_go: bool = await server.wait_for(
                until, timeout=5, message="the held ones were never let go"
            )
            assert let_go
            return
        arrived.append(record.id)
        server.notify()
        await server.wait_for(
            lambda: len(arrived) >= together,
            timeout=5,
            message=lambda: f"only {len(arrived)} of {together} interactions arrived",
        )

    server.before_answer(CALLBACK, hook)


async def test_merge_while_members_sign_loses_nothing_and_counts_records(
    ready: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    clock: FakeClock,
) -> None:
    """Twelve members sign at once with the organiser's confirmation, under spellings of
    both records: half go side by side with the merge; the other half are held until it is
    done (so they type the old name after it has moved)."""
    letter, post = await create_letter(driver, world, clock)
    await join(driver, world.rhian, "Cardiff Council")
    await join(driver, world.dafydd, "Cyngor Caerdydd")
    await sign(driver, world.rhian, letter, "Cardiff Council")
    await sign(driver, world.dafydd, letter, "Cyngor Caerdydd")
    await sign(driver, world.admin, letter, "Tai Tarian")
    source = await record_id(ready, world, "Cyngor Caerdydd")
    into = await record_id(ready, world, "Cardiff Council")
    tai = await record_id(ready, world, "Tai Tarian")
    signers = [
        discord_server.add_member(world.guild, f"Signer {n:02d}", roles=[world.members])
        for n in range(12)
    ]
    # under the "from" record and under the "into" one, two spellings of each, in each half
    spellings = ["Cyngor Caerdydd", "Cardiff Council", "cyngor  caerdydd", "CARDIFF-COUNCIL"]
    chosen = {m.id: spellings[n % len(spellings)] for n, m in enumerate(signers)}
    prompt = await driver.slash(
        world.organiser,
        "network merge",
        options={"from": "Cyngor Caerdydd", "into": "Cardiff Council"},
    )
    assert prompt.buttons(), prompt.text

    async def merged() -> bool:
        return not await rows(ready, "SELECT 1 FROM organisations WHERE id = ?", source)

    half = len(signers) // 2
    hold_defers(discord_server, half + 1, {m.id for m in signers[half:]}, merged)
    try:
        signing = [sign(driver, m, letter, chosen[m.id]) for m in signers]
        confirm = driver.click(world.organiser, prompt, text.BUTTON_MERGE_CONFIRM)
        replies = await asyncio.gather(*signing[:half], confirm, *signing[half:])
    finally:
        discord_server.before_answer(CALLBACK, None)
    side_by_side, after = replies[:half], replies[half + 1 :]
    first_words = text.LETTER_SIGNED.split("**")[0]
    for reply in [*side_by_side, *after]:
        assert reply.text.startswith(first_words), reply.text
    for reply in after:  # signed once the duplicate was gone: two records, whatever was typed
        assert reply.text.endswith(f"{english_count('LETTER_ORGANISATION_WORDS', 2)}."), reply.text
    done = driver.message(prompt)
    assert done.content.startswith(
        text.ORGANISATION_MERGED.split(":")[0].format(
            source="Cyngor Caerdydd", into="Cardiff Council"
        )
    ), done.content
    assert done.buttons() == []

    found = await rows(
        ready, "SELECT user_id, organisation_id FROM signatures WHERE letter_id = ?", int(letter)
    )
    assert len(found) == 3 + len(signers)  # none lost, none doubled
    expected = {world.rhian.id: into, world.dafydd.id: into, world.admin.id: tai}
    expected.update({m.id: into for m in signers})
    assert dict(found) == expected  # every one points at a record that survived
    assert await rows(ready, "SELECT id FROM organisations ORDER BY id") == sorted(
        [(into,), (tai,)]
    )
    distinct = await rows(
        ready,
        "SELECT count(DISTINCT s.organisation_id) FROM signatures s "
        "JOIN organisations o ON o.id = s.organisation_id WHERE s.letter_id = ?",
        int(letter),
    )
    assert distinct == [(2,)]
    await wait_count(driver, post, tally(3 + len(signers), 2))
    await ready.post_updater.drain(10)
    assert tally(3 + len(signers), 2) in signatures_line(post)  # and it stays so
    listed = await driver.slash(world.organiser, "letter signatures", letter=letter)
    assert "(Cyngor Caerdydd)" not in listed.text  # everyone shows the record's name


# --- autocomplete --------------------------------------------------------------------------

ORGANISATION_OPTIONS = [
    ("network join", "organisation"),
    ("network organisation", "organisation"),
    ("network merge", "from"),
    ("network merge", "into"),
    ("letter sign", "organisation"),
    ("events create", "host"),
    ("events edit", "host"),
]


async def test_autocomplete_offers_the_record_by_any_spelling_wherever_one_is_typed(
    ready: Any, driver: Driver, world: CoproWorld
) -> None:
    await join(driver, world.rhian, "Cardiff Council")
    await join(driver, world.dafydd, "Tai Tarian")
    await join(driver, world.admin, "Cardiff University")
    saved = await driver.slash(
        world.organiser,
        "network organisation",
        organisation="Cardiff Council",
        welsh_name="Cyngor Caerdydd",
        aliases="CCC, Cardiff City Council",
    )
    assert saved.ephemeral and "Cyngor Caerdydd" in saved.text
    both = "Cardiff Council · Cyngor Caerdydd"
    for path, option in ORGANISATION_OPTIONS:
        for typed_now in ("cyngor caerdydd", "CAERDYDD", "ccc", "city coun", "Cardiff Council"):
            choices = await driver.autocomplete(world.organiser, path, option, typed_now)
            assert [(c["name"], c["value"]) for c in choices] == [(both, "Cardiff Council")], (
                path,
                option,
                typed_now,
                choices,
            )
        everything = await driver.autocomplete(world.organiser, path, option, "cardiff")
        assert [c["value"] for c in everything] == ["Cardiff Council", "Cardiff University"]

    # a series' hosts: the last of the comma-separated list is completed, the rest kept
    rota = await driver.autocomplete(world.organiser, "events series", "hosts", "Tai Tarian, ccc")
    assert [c["value"] for c in rota] == ["Tai Tarian, Cardiff Council"]
    first = await driver.autocomplete(world.organiser, "events series", "hosts", "caerdydd")
    assert [c["value"] for c in first] == ["Cardiff Council"]

    # a member who reads Welsh sees the Welsh name first; the value is the record's all the same
    await driver.slash(world.rhian, "language", language="Cymraeg")
    welsh = await driver.autocomplete(world.rhian, "network join", "organisation", "ccc")
    assert [(c["name"], c["value"]) for c in welsh] == [
        ("Cyngor Caerdydd · Cardiff Council", "Cardiff Council")
    ]
