"""/language and /setup language end to end: a member's own language for everything the bot
says to them alone, the server's mode for members who haven't chosen (bilingual: Welsh
first), and the choice as personal data."""

from __future__ import annotations

import json
from typing import Any
from zoneinfo import ZoneInfo

from bot import text
from bot.domain.rsvps import GOING_EMOJI
from bot.i18n import Language, translate, welsh_datetime
from bot.i18n.dates import short_datetime
from tests.e2e.conftest import CoproWorld
from tests.e2e.steps import settled
from tests.fakediscord import Driver, FakeDiscord
from tests.support.dates import at_local, typed
from tests.support.fakes import FakeClock
from tests.support.welsh import welsh

CY, EN = Language.CY, Language.EN


async def test_a_member_who_chose_welsh_is_answered_in_welsh(
    bot_app: Any, driver: Driver, world: CoproWorld, discord_server: FakeDiscord, clock: FakeClock
) -> None:
    chose = await driver.slash(world.rhian, "language", language="cy")
    assert chose.ephemeral
    assert chose.text == welsh(text.LANGUAGE_SAVED, language="Cymraeg")

    helped = await driver.slash(world.rhian, "help")
    assert helped.embed().title == welsh(text.HELP_TITLE)
    names = [field.name for field in helped.embed().fields]
    assert welsh(text.HELP_EVERYONE) in names and text.HELP_EVERYONE not in names

    refused = await driver.slash(world.rhian, "network leave")
    assert refused.ephemeral
    assert refused.text == welsh(text.ERRORS["network_not_member"])

    # Someone else still reads English: the choice is hers alone.
    other = await driver.slash(world.dafydd, "network leave")
    assert other.text == text.error_text("network_not_member")

    # A DM: she is waitlisted for a full event, in Welsh, the date in Welsh words.
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    starts = at_local(clock(), days=5)
    await driver.slash(
        world.organiser, "events create", when=typed(starts), title="Policy Cafe", capacity=1
    )
    post = next(m for m in driver.messages(world.announcements) if m.embeds)
    await driver.react(world.dafydd, post, GOING_EMOJI)
    await settled(bot_app, discord_server)
    await driver.react(world.rhian, post, GOING_EMOJI)
    await settled(bot_app, discord_server)
    waitlisted = await driver.wait_for_dm(world.rhian, lambda m: "Policy Cafe" in m.content)
    assert welsh_datetime(starts, "Europe/London") in waitlisted.content
    english = translate(
        EN, text.NOTICES["rsvp_waitlisted"], title="Policy Cafe", at=starts, place=1
    )
    assert english not in waitlisted.content


async def test_a_bilingual_server_answers_members_who_have_not_chosen_in_both(
    bot_app: Any, driver: Driver, world: CoproWorld
) -> None:
    saved = await driver.slash(world.admin, "setup language", mode="bilingual")
    mode = welsh(text.MODE_NAMES["bilingual"])
    assert saved.text.split("\n")[0] == welsh(text.SETUP_SAVED_LANGUAGE, mode=mode)
    assert saved.text.split("\n")[1] == text.SETUP_SAVED_LANGUAGE.format(
        mode=text.MODE_NAMES["bilingual"]
    )

    refused = await driver.slash(world.dafydd, "network leave")
    assert refused.text == "\n".join(
        [welsh(text.ERRORS["network_not_member"]), text.ERRORS["network_not_member"]]
    )
    helped = await driver.slash(world.dafydd, "help")
    assert len(helped.embeds) == 2  # Welsh, then English
    first_fields = [f["name"] for f in helped.embeds[0]["fields"]]
    second_fields = [f["name"] for f in helped.embeds[1]["fields"]]
    assert welsh(text.HELP_EVERYONE) in first_fields and text.HELP_EVERYONE in second_fields
    assert sum(len(helped.embed(i)) for i in range(2)) <= 6000

    # A member's own choice wins over the server's mode.
    await driver.slash(world.dafydd, "language", language="en")
    again = await driver.slash(world.dafydd, "network leave")
    assert again.text == text.ERRORS["network_not_member"]
    shown = await driver.slash(world.admin, "setup show")
    welsh_field, english_field = (
        next(f for f in embed["fields"] if f["name"] == name)
        for embed, name in zip(
            shown.embeds, [welsh(text.SETUP_LANGUAGE), text.SETUP_LANGUAGE], strict=True
        )
    )
    assert welsh_field["value"] == mode
    assert english_field["value"] == text.MODE_NAMES["bilingual"]


async def test_the_choice_is_in_mydata_and_forget_erases_it(
    bot_app: Any, driver: Driver, world: CoproWorld
) -> None:
    await driver.slash(world.rhian, "language", language="cy")
    mine = await driver.slash(world.rhian, "privacy mydata")
    held = json.loads(mine.files["my-data.json"])["data"]["language"]
    assert [(row["guild_id"], row["language"]) for row in held] == [(world.guild.id, "cy")]

    prompt = await driver.slash(world.rhian, "privacy forget")
    button = welsh(text.PRIVACY_FORGET_BUTTON)
    assert button in [b["label"] for b in prompt.buttons()]
    done = await driver.click(world.rhian, prompt.message, button)
    assert (
        welsh(text.PRIVACY_SECTIONS["language"]) in driver.message(done.message or prompt).content
    )
    # Forgotten: she reads the server's mode (English) again, and nothing is held.
    after = await driver.slash(world.rhian, "privacy mydata")
    assert after.text == text.PRIVACY_MYDATA
    assert json.loads(after.files["my-data.json"])["data"]["language"] == []


async def test_a_welsh_manager_is_told_the_new_zones_time_in_welsh(
    bot_app: Any, driver: Driver, world: CoproWorld, clock: FakeClock
) -> None:
    await driver.slash(world.admin, "language", language="cy")
    reply = await driver.slash(world.admin, "setup timezone", zone="Europe/Dublin")
    local = short_datetime(clock(), "Europe/Dublin", welsh=True)  # e.g. "Llun 7 Rhag 15:40"
    assert reply.text == welsh(text.SETUP_SAVED_TIMEZONE, tz="Europe/Dublin", local=local)
    english_day = f"{clock().astimezone(ZoneInfo('Europe/Dublin')):%a}"  # "Mon"
    assert english_day not in reply.text
