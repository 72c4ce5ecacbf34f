"""A Welsh server end to end (`/setup language cy`): an organiser and members who never chose
a language go from announcing a meeting to RSVPs, a reminder, an open letter and its
export, and every private answer and DM on the way is in Welsh."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot import text
from bot.domain.rsvps import GOING_EMOJI
from bot.i18n import Language, gettext, welsh_datetime
from tests.e2e.conftest import CoproWorld
from tests.e2e.steps import settled
from tests.fakediscord import Driver, FakeDiscord
from tests.support.dates import typed
from tests.support.fakes import FakeClock

ZONE = "Europe/London"


def opening(msgid: str) -> str:
    """The Welsh sentence up to its first placeholder: what a Welsh reply starts with."""
    return gettext(Language.CY, msgid).split("{")[0].strip()


def english_opening(msgid: str) -> str:
    return msgid.split("{")[0].strip()


def in_welsh(reply_text: str, msgid: str) -> None:
    assert reply_text.startswith(opening(msgid)), (reply_text, opening(msgid))
    assert english_opening(msgid) not in reply_text or opening(msgid) == english_opening(msgid)


async def test_create_rsvp_remind_sign_export_in_welsh(
    bot_app: Any,
    driver: Driver,
    world: CoproWorld,
    discord_server: FakeDiscord,
    clock: FakeClock,
    start: datetime,
) -> None:
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    moded = await driver.slash(world.admin, "setup language", mode="cy")
    in_welsh(moded.text, text.SETUP_SAVED_LANGUAGE)

    created = await driver.slash(
        world.organiser,
        "events create",
        when=typed(start),
        title="S. Wales Network Meeting 4",
        title_cy="Cyfarfod Rhwydwaith De Cymru 4",
    )
    assert created.ephemeral
    in_welsh(created.text, text.EVENT_CREATED)
    post = next(m for m in driver.messages(world.announcements) if m.embeds)

    await driver.react(world.rhian, post, GOING_EMOJI)
    await settled(bot_app, discord_server)
    added = await driver.slash(
        world.rhian, "reminders add", event="S. Wales Network Meeting 4", before="1d"
    )
    in_welsh(added.text, text.REMINDER_ADDED)
    [mine] = await bot_app.reminder_service.mine(world.guild.id, world.rhian.id)
    clock.set(mine.reminder.due_at)
    await bot_app.reminder_service.deliver(mine.reminder.id)
    # The reminder names the meeting by its Welsh title.
    [dm] = [m for m in driver.dms(world.rhian) if "Cyfarfod Rhwydwaith De Cymru 4" in m.content]
    assert dm.content.startswith(opening(text.NOTICES["reminder_personal"]))
    assert "S. Wales Network Meeting 4" not in dm.content
    assert welsh_datetime(start, ZONE) in dm.content
    clock.set(start - timedelta(days=2))

    letter = await driver.slash(
        world.organiser,
        "letter create",
        title="Co-production in the Wellbeing Act",
        addressee="The First Minister",
        body="We ask that co-production principles be written into guidance.",
    )
    in_welsh(letter.text, text.LETTER_CREATED)
    signed = await driver.slash(
        world.rhian,
        "letter sign",
        letter="Co-production in the Wellbeing Act",
        name="Rhian Evans",
        organisation="Swansea County Council",
    )
    in_welsh(signed.text, text.LETTER_SIGNED)
    exported = await driver.slash(
        world.organiser, "letter export", letter="Co-production in the Wellbeing Act"
    )
    in_welsh(exported.text, text.LETTER_EXPORTED)
    assert exported.files  # the letter as a file
