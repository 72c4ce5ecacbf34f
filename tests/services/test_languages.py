"""LanguageService and the server's mode: who a reply speaks to, stored per server and member,
with refusals that name the choices and store nothing."""

from __future__ import annotations

import pytest

from bot.db import Database
from bot.domain.errors import UserError
from bot.domain.guilds import Actor
from bot.domain.languages import Language, Mode
from bot.i18n import Voice
from bot.services.guilds import GuildService
from bot.services.languages import LanguageService
from bot.services.privacy import PrivacyService
from bot.services.reminders import ReminderService
from tests.conftest import GUILD
from tests.support.fakes import FakeClock, FakePostTouch

MEMBER = 501


@pytest.fixture
def languages(db: Database, clock: FakeClock) -> LanguageService:
    return LanguageService(db, clock)


async def test_a_member_without_a_choice_reads_the_server_mode(
    languages: LanguageService, guilds: GuildService, admin: Actor
) -> None:
    assert await languages.voice(GUILD, MEMBER) == Voice((Language.EN,), "Europe/London")
    await guilds.set_timezone(GUILD, admin, "Europe/Dublin")
    await guilds.set_language(GUILD, admin, "bilingual")
    assert await languages.voice(GUILD, MEMBER) == Voice(
        (Language.CY, Language.EN), "Europe/Dublin"
    )
    assert (await guilds.settings(GUILD)).language is Mode.BILINGUAL


async def test_a_choice_wins_over_the_mode_and_is_per_server(
    languages: LanguageService, guilds: GuildService, admin: Actor
) -> None:
    await guilds.set_language(GUILD, admin, "bilingual")
    assert await languages.choose(GUILD, MEMBER, "Cymraeg") is Language.CY
    assert (await languages.voice(GUILD, MEMBER)).languages == (Language.CY,)
    assert await languages.chosen(GUILD + 1, MEMBER) is None
    assert await languages.choose(GUILD, MEMBER, "en") is Language.EN  # changed, not added
    assert await languages.chosen(GUILD, MEMBER) is Language.EN


@pytest.mark.parametrize("typed", ["fr", "", "klingon", "bilingual"])
async def test_a_language_not_offered_is_refused_and_nothing_stored(
    languages: LanguageService, typed: str
) -> None:
    with pytest.raises(UserError) as refused:
        await languages.choose(GUILD, MEMBER, typed)
    assert refused.value.key == "language_unknown"
    assert await languages.chosen(GUILD, MEMBER) is None


async def test_a_mode_not_offered_is_refused_and_only_admins_set_it(
    guilds: GuildService, admin: Actor, organiser: Actor
) -> None:
    with pytest.raises(UserError) as refused:
        await guilds.set_language(GUILD, admin, "french")
    assert refused.value.key == "mode_unknown"
    with pytest.raises(UserError) as not_admin:
        await guilds.set_language(GUILD, organiser, "cy")
    assert not_admin.value.key == "not_admin"
    assert (await guilds.settings(GUILD)).language is Mode.EN


async def test_outside_a_server_it_is_english(languages: LanguageService) -> None:
    assert await languages.voice(None, MEMBER) == Voice()


async def test_a_voice_is_kept_until_the_servers_settings_or_the_choice_change(
    db: Database,
    languages: LanguageService,
    guilds: GuildService,
    admin: Actor,
    clock: FakeClock,
    post_touch: FakePostTouch,
    reminders: ReminderService,
) -> None:
    """Every interaction asks for its voice: kept, it costs no statement (none to queue
    behind writes), and every way the answer can change is seen at once."""
    english = await languages.voice(GUILD, MEMBER)
    statements: list[str] = []
    await db._conn.set_trace_callback(statements.append)
    assert await languages.voice(GUILD, MEMBER) == english
    assert statements == []  # kept
    await guilds.set_language(GUILD, admin, "cy")
    assert (await languages.voice(GUILD, MEMBER)).languages == (Language.CY,)
    await guilds.set_timezone(GUILD, admin, "Europe/Dublin")
    assert (await languages.voice(GUILD, MEMBER)).zone == "Europe/Dublin"
    await languages.choose(GUILD, MEMBER, "en")
    assert (await languages.voice(GUILD, MEMBER)).languages == (Language.EN,)
    assert (await languages.voice(GUILD, MEMBER + 1)).languages == (Language.CY,)
    await PrivacyService(db, clock, post_touch, reminders).forget(MEMBER, GUILD)
    assert (await languages.voice(GUILD, MEMBER)).languages == (Language.CY,)  # choice erased
