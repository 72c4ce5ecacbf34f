"""Organisation records on a real SQLite file: one body typed three ways is one record and
one count; edits refuse a spelling another record has; a merge moves everything at once."""

from __future__ import annotations

import pytest

from bot.db import Database
from bot.domain.errors import UserError
from bot.domain.events import Region
from bot.domain.guilds import Actor
from bot.domain.letters import LetterDraft
from bot.services.guilds import GuildService
from bot.services.letters import LetterService
from bot.services.network import NetworkService
from bot.services.organisations import OrganisationService
from bot.stores.letters import LetterStore, SignatureStore
from tests.conftest import GUILD
from tests.services.test_letters import FakeLetterPoster
from tests.support.fakes import FakeClock, FakeJobs, FakePostTouch

pytestmark = pytest.mark.usefixtures("configured")


@pytest.fixture
def network(db: Database, clock: FakeClock) -> NetworkService:
    return NetworkService(db, clock)


@pytest.fixture
def records(
    db: Database, clock: FakeClock, guilds: GuildService, post_touch: FakePostTouch
) -> OrganisationService:
    return OrganisationService(db, clock, guilds, post_touch)


@pytest.fixture
def letters(
    db: Database, clock: FakeClock, guilds: GuildService, post_touch: FakePostTouch, jobs: FakeJobs
) -> LetterService:
    return LetterService(db, clock, guilds, FakeLetterPoster(), post_touch, jobs)


async def _letter(db: Database, clock: FakeClock) -> int:
    async with db.transaction() as conn:
        letter_id = await LetterStore(db).insert(
            GUILD, LetterDraft("Fair rents", "The Minister", "Text"), 1, 2, clock()
        )
        await conn.execute("UPDATE letters SET message_id = 77 WHERE id = ?", (letter_id,))
    return letter_id


async def test_one_body_typed_three_ways_is_one_record_and_one_count(
    db: Database, clock: FakeClock, network: NetworkService, letters: LetterService
) -> None:
    await network.join(GUILD, 1, "Cardiff Council", Region.SOUTH)
    await network.join(GUILD, 2, "cardiff  COUNCIL", Region.SOUTH)
    await network.join(GUILD, 3, "Cardiff-Council.", None)
    stats = await network.stats(GUILD)
    assert (stats.people, stats.organisations) == (3, 1)
    letter_id = await _letter(db, clock)
    for user, typed in [(1, "CARDIFF COUNCIL"), (2, "Cardiff council!"), (3, "cardiff council")]:
        await letters.sign(GUILD, user, letter_id, name=f"N{user}", organisation=typed, public=True)
    async with db.reading():
        tally = await SignatureStore(db).tally(letter_id)
        shown = await SignatureStore(db).public(letter_id)
    assert (tally.signatures, tally.organisations) == (3, 1)
    assert {s.organisation for s in shown} == {"Cardiff Council"}  # the record's name
    assert await network.organisations(GUILD, "cardiff") == ["Cardiff Council"]


async def test_bad_organisation_names_are_refused_and_nothing_written(
    network: NetworkService,
) -> None:
    for typed, error in [("...", "organisation_punctuation"), ("<@123>", "organisation_mention")]:
        with pytest.raises(UserError) as caught:
            await network.join(GUILD, 1, typed, None)
        assert caught.value.key == error
    assert (await network.stats(GUILD)).people == 0


async def test_edit_names_and_refuse_a_spelling_taken_by_another(
    network: NetworkService, records: OrganisationService, organiser: Actor, member: Actor
) -> None:
    await network.join(GUILD, 1, "Cardiff Council", None)
    await network.join(GUILD, 2, "Tai Tarian", None)
    with pytest.raises(UserError) as refused:
        await records.edit(GUILD, member, "Cardiff Council", welsh_name="Cyngor Caerdydd")
    assert refused.value.key == "not_organiser"
    edited = await records.edit(
        GUILD, organiser, "cardiff council", welsh_name="Cyngor Caerdydd", aliases="CCC, C.C.C."
    )
    assert (edited.welsh_name, edited.aliases) == ("Cyngor Caerdydd", ("CCC",))
    with pytest.raises(UserError) as taken:
        await records.edit(GUILD, organiser, "Tai Tarian", aliases="Tai, cyngor caerdydd")
    assert taken.value.key == "organisation_name_taken"
    assert taken.value.params == {"spelling": "cyngor caerdydd", "other": "Cardiff Council"}
    assert (await records.find(GUILD, "Tai Tarian")).aliases == ()  # nothing half-written
    # typing the Welsh name or an alias finds the record: no new one, the same count
    await network.join(GUILD, 3, "Cyngor Caerdydd", None)
    await network.join(GUILD, 4, "ccc", None)
    assert (await network.stats(GUILD)).organisations == 2
    page = await records.page(GUILD, 1)
    assert [(r.organisation.name, r.members) for r in page.rows] == [
        ("Cardiff Council", 3),
        ("Tai Tarian", 1),
    ]
    assert [o.name for o in await records.suggest(GUILD, "caerdydd")] == ["Cardiff Council"]


async def test_merge_moves_members_signatures_and_hosts_in_one_go(
    db: Database,
    clock: FakeClock,
    network: NetworkService,
    letters: LetterService,
    records: OrganisationService,
    organiser: Actor,
    post_touch: FakePostTouch,
) -> None:
    await network.join(GUILD, 1, "Cardiff Council", None)
    await network.join(GUILD, 2, "Cyngor Caerdydd", None)
    letter_id = await _letter(db, clock)
    await letters.sign(GUILD, 1, letter_id, name="A", organisation="Cardiff Council", public=True)
    await letters.sign(GUILD, 2, letter_id, name="B", organisation="Cyngor Caerdydd", public=True)
    async with db.reading():
        assert (await SignatureStore(db).tally(letter_id)).organisations == 2
    with pytest.raises(UserError) as itself:
        await records.prepare_merge(GUILD, organiser, "Cardiff Council", "cardiff council")
    assert itself.value.key == "organisation_merge_itself"
    source, into = await records.prepare_merge(
        GUILD, organiser, "Cyngor Caerdydd", "Cardiff Council"
    )
    post_touch.touched.clear()
    merged = await records.merge(GUILD, organiser, source.id, into.id)
    assert (merged.members, merged.signatures) == (1, 1)
    assert post_touch.touched == [("letter", letter_id)]
    async with db.reading():
        assert (await SignatureStore(db).tally(letter_id)).organisations == 1
    assert (await network.stats(GUILD)).organisations == 1
    # the old name now finds the record it was merged into, as an alias
    assert (await records.find(GUILD, "cyngor caerdydd")).id == into.id
    assert "Cyngor Caerdydd" in (await records.find(GUILD, "Cardiff Council")).aliases
    with pytest.raises(UserError) as gone:
        await records.merge(GUILD, organiser, source.id, into.id)
    assert gone.value.key == "organisation_gone"
