"""Public posts in the server's language mode, end to end through the local Discord: a
bilingual server's announcement and letter post carry both languages (Welsh first) in one
message with both-word buttons; a Welsh server shows an event's Welsh title once given, and
tells the organiser when the Welsh is missing (issue #16)."""

from __future__ import annotations

from typing import Any

from bot import text
from bot.i18n import Language, gettext, welsh_datetime
from tests.e2e.conftest import CoproWorld
from tests.e2e.steps import settled
from tests.fakediscord import Driver, FakeDiscord
from tests.fakediscord.models import Message
from tests.support.counts import english_count, welsh_count
from tests.support.dates import LONDON, at_local, typed
from tests.support.fakes import FakeClock
from tests.support.welsh import welsh

CY = Language.CY
TITLE, TITLE_CY = "S. Wales Network Meeting 4", "Cyfarfod Rhwydwaith De Cymru 4"
ABOUT, ABOUT_CY = "Our fourth meeting in the south.", "Ein pedwerydd cyfarfod yn y de."


def announcement(driver: Driver, world: CoproWorld) -> Message:
    [post] = [m for m in driver.messages(world.announcements) if m.embeds and not m.deleted]
    return post


async def test_a_bilingual_servers_announcement_carries_both_languages(
    bot_app: Any, driver: Driver, world: CoproWorld, clock: FakeClock
) -> None:
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    await driver.slash(world.admin, "setup language", mode="bilingual")
    starts = at_local(clock(), days=6)
    created = await driver.slash(
        world.organiser,
        "events create",
        options={
            "when": typed(starts),
            "title": TITLE,
            "description": ABOUT,
            "title_cy": TITLE_CY,
            "description_cy": ABOUT_CY,
        },
    )
    assert created.ephemeral
    assert welsh(text.EVENT_WELSH_MISSING) not in created.text  # all the Welsh was given

    post = announcement(driver, world)
    [embed] = post.embeds  # one embed, both languages, Welsh first
    assert embed["title"] == f"{TITLE_CY} · {TITLE}"
    assert embed["description"] == f"{ABOUT_CY}\n\n{ABOUT}"
    when = embed["fields"][0]
    assert when["name"] == f"{gettext(CY, text.EMBED_WHEN)} · {text.EMBED_WHEN}"
    assert when["value"].startswith(welsh_datetime(starts, LONDON))
    assert f"<t:{int(starts.timestamp())}:F>" in when["value"]
    [button] = post.buttons()
    assert button["label"] == f"{gettext(CY, text.BUTTON_CALENDAR)} · {text.BUTTON_CALENDAR}"


async def test_a_welsh_servers_post_shows_the_welsh_title_once_given(
    bot_app: Any, driver: Driver, world: CoproWorld, discord_server: FakeDiscord, clock: FakeClock
) -> None:
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    await driver.slash(world.admin, "setup language", mode="cy")
    created = await driver.slash(
        world.organiser,
        "events create",
        options={"when": typed(at_local(clock(), days=4)), "title": TITLE},
    )
    # No Welsh given: the post shows the English title, and the organiser is told how to add it.
    assert welsh(text.EVENT_WELSH_MISSING) in created.text
    post = announcement(driver, world)
    [embed] = post.embeds
    assert embed["title"] == TITLE
    assert embed["fields"][0]["name"] == gettext(CY, text.EMBED_WHEN)
    assert post.buttons()[0]["label"] == gettext(CY, text.BUTTON_CALENDAR)

    edited = await driver.slash(
        world.organiser,
        "events edit",
        options={"event": TITLE, "title_cy": TITLE_CY},
    )
    assert gettext(CY, text.CHANGE_NAMES["title_cy"]) in edited.text
    assert welsh(text.EVENT_WELSH_MISSING) not in edited.text  # no description to translate
    await settled(bot_app, discord_server)
    assert announcement(driver, world).embeds[0]["title"] == TITLE_CY

    cleared = await driver.slash(
        world.organiser, "events edit", options={"event": TITLE, "title_cy": "-"}
    )
    assert welsh(text.EVENT_WELSH_MISSING) in cleared.text
    await settled(bot_app, discord_server)
    assert announcement(driver, world).embeds[0]["title"] == TITLE


async def test_a_bilingual_servers_letter_post_carries_both_languages(
    bot_app: Any, driver: Driver, world: CoproWorld
) -> None:
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    await driver.slash(world.admin, "setup language", mode="bilingual")
    body = "We ask that co-production guides every new public service."
    body_cy = "Gofynnwn i gydgynhyrchu arwain pob gwasanaeth cyhoeddus newydd."
    created = await driver.slash(
        world.organiser,
        "letter create",
        options={
            "title": "Open Letter to the First Minister",
            "addressee": "The First Minister of Wales",
            "body": body,
            "title_cy": "Llythyr Agored at y Prif Weinidog",
            "body_cy": body_cy,
        },
    )
    assert created.ephemeral
    assert welsh(text.LETTER_WELSH_MISSING) not in created.text
    [post] = [
        m
        for m in driver.messages(world.announcements)
        if any(b["custom_id"].startswith("letter:sign:") for b in m.buttons())
    ]
    welsh_embed, english_embed = post.embeds
    assert welsh_embed["title"] == "Llythyr Agored at y Prif Weinidog"
    assert welsh_embed["description"] == body_cy
    assert english_embed["title"] == "Open Letter to the First Minister"
    assert english_embed["description"] == body
    sign = next(b for b in post.buttons() if b["custom_id"].startswith("letter:sign:"))
    assert sign["label"] == "Llofnodi · Sign"

    # The Welsh text can be taken off again; the post then shows the English text once.
    edited = await driver.slash(
        world.organiser,
        "letter edit",
        options={"letter": "Open Letter to the First Minister", "body_cy": "-"},
    )
    assert welsh(text.LETTER_WELSH_MISSING) in edited.text


async def test_a_change_of_language_redraws_the_posts_that_can_still_change(
    bot_app: Any, driver: Driver, world: CoproWorld, clock: FakeClock
) -> None:
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    starts = at_local(clock(), days=6)
    await driver.slash(
        world.organiser,
        "events create",
        options={"when": typed(starts), "title": TITLE, "title_cy": TITLE_CY},
    )
    post = announcement(driver, world)
    assert [e["title"] for e in post.embeds] == [TITLE]  # an English server's post

    moved = await driver.slash(world.admin, "setup language", mode="bilingual")
    assert moved.ephemeral
    cymraeg = welsh_count("SETUP_REDRAWING", 1)
    english = english_count("SETUP_REDRAWING", 1)
    assert cymraeg != english
    # the admin has not chosen a language, so reads the new mode: Welsh, then English
    assert cymraeg in moved.text and english in moved.text
    assert moved.text.index(cymraeg) < moved.text.index(english)
    await driver.wait_for(
        lambda: [e["title"] for e in post.embeds] == [f"{TITLE_CY} · {TITLE}"],
        message="the announcement was not redrawn in both languages",
    )
    [button] = post.buttons()
    assert button["label"] == f"{gettext(CY, text.BUTTON_CALENDAR)} · {text.BUTTON_CALENDAR}"

    # A new zone changes the Welsh date in words: the post is redrawn in it.
    await driver.slash(world.admin, "setup timezone", zone="America/New_York")
    await driver.wait_for(
        lambda: welsh_datetime(starts, "America/New_York") in str(post.embeds[0]["fields"][0]),
        message="the Welsh date was not redrawn in the new zone",
    )
    # Back to English: the English title only; nothing left to say that the post is being redrawn
    # once every post is English only and the zone changes (no Welsh words to change).
    await driver.slash(world.admin, "setup language", mode="en")
    await driver.wait_for(lambda: [e["title"] for e in post.embeds] == [TITLE])
    zoned = await driver.slash(world.admin, "setup timezone", zone="Europe/London")
    assert "redrawn" not in zoned.text
