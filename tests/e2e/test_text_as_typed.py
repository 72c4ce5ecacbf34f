"""Member text shows as typed (issue 15): no masked link, heading, small print, list, quote or
formatting can come from a title, place, host, reason, name or organisation, wherever the bot
shows it: posts, lists, /events info, /letter signatures, replies, DMs and refusals.

Each surface is read with a small model of Discord's markdown (tests/support/markdown.py): the
member's text must be what a reader sees, and nothing in it may be left for Discord to read
as markdown. Embed titles and field names are read without links (Discord makes no link
there, so a URL's characters count as text); contents, descriptions and field values with.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot import text
from tests.e2e.conftest import CoproWorld
from tests.fakediscord import Driver, FakeDiscord
from tests.fakediscord.models import Message
from tests.support.dates import at_local, typed
from tests.support.fakes import FakeClock
from tests.support.markdown import shown_as_typed

TITLE = "[Click](https://evil.example) # Big **bold** `x` -# small ||spoiler||"
PLACE = "# Heading place ~~struck~~ <t:0:F> <#1>"
NEW_PLACE = "1. Listed place *it* </events create:1>"
HOST = "-# small host __under__ _it_"
REASON = "## Rained off [again](https://evil.example/_a_) > <a:x:1>"
DESCRIPTION = (
    "> quoted\n1. listed\n- bullet *it*\n### Heading \\*kept\\*\n"
    "see https://example.com/a_b_c?x=1 for more"
)
LINK_IN_DESCRIPTION = "https://example.com/a_b_c?x=1"
SERIES = "## Series *one* + [two](https://evil.example)"

ADDRESSEE = "# To **the Senedd** > and you"
BODY = (
    "Dear First Minister,\n\n# We ask\n- that **co-production** is at the heart\n"
    "> of [public services](https://evil.example)\n\n2) Thank you ||secret||"
)
NAME = "> *Rhian* `Evans` ~~x~~"
ORGANISATION = "-# [Org](https://evil.example) **Ltd** __u__ ||s||"

Problems = list[str]


def check(problems: Problems, where: str, rendered: str | None, typed: str, *, links: bool) -> None:
    problem = shown_as_typed(rendered or "", typed, links=links)
    if problem:
        problems.append(f"{where}: {problem}")


def field_value(embed: dict[str, Any], name: str) -> str:
    return next(f["value"] for f in embed.get("fields") or [] if f["name"] == name)


def posts(driver: Driver, world: CoproWorld) -> list[Message]:
    return [m for m in driver.messages(world.announcements) if not m.deleted and m.embeds]


@pytest.fixture
async def ready(bot_app: Any, driver: Driver, world: CoproWorld) -> Any:
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    return bot_app


async def test_event_text_shows_as_typed_on_the_post_in_lists_and_replies(
    ready: Any, driver: Driver, world: CoproWorld, discord_server: FakeDiscord, clock: FakeClock
) -> None:
    problems: Problems = []
    series = await driver.slash(world.organiser, "events series", name=SERIES, hosts=HOST)
    check(problems, "/events series reply", series.content, SERIES, links=True)
    created = await driver.slash(
        world.organiser,
        "events create",
        options={
            "when": typed(at_local(clock(), days=5)),
            "title": TITLE,
            "where": PLACE,
            "host": HOST,
            "description": DESCRIPTION,
            "series": SERIES,
        },
    )
    assert created.ephemeral and text.EVENT_CREATED.split(" ")[0] in created.content
    check(problems, "/events create reply", created.content, TITLE, links=True)

    [post] = posts(driver, world)
    embed = post.embeds[0]
    check(problems, "post title", embed["title"], TITLE, links=False)
    check(problems, "post description", embed["description"], DESCRIPTION, links=True)
    assert LINK_IN_DESCRIPTION in embed["description"]  # the link still works
    check(problems, "post place", field_value(embed, text.EMBED_WHERE), PLACE, links=True)
    check(problems, "post host", field_value(embed, text.EMBED_HOST), HOST, links=True)

    info = await driver.slash(world.rhian, "events info", event=TITLE)
    shown = info.embeds[0]
    check(problems, "/events info title", shown["title"], TITLE, links=False)
    check(problems, "/events info description", shown["description"], DESCRIPTION, links=True)
    check(problems, "/events info place", field_value(shown, text.EMBED_WHERE), PLACE, links=True)
    check(
        problems, "/events info series", field_value(shown, text.SERIES_FIELD), SERIES, links=True
    )

    upcoming = await driver.slash(world.rhian, "events upcoming")
    [entry] = upcoming.embeds[0]["fields"]
    check(problems, "/events upcoming name", entry["name"], TITLE, links=False)
    check(problems, "/events upcoming place", entry["value"], PLACE, links=True)
    check(problems, "/events upcoming host", entry["value"], HOST, links=True)

    attendees = await driver.slash(world.organiser, "events attendees", event=TITLE)
    check(problems, "/events attendees title", attendees.embeds[0]["title"], TITLE, links=False)

    reminder = await driver.slash(world.rhian, "reminders add", event=TITLE, before="1h")
    check(problems, "/reminders add reply", reminder.content, TITLE, links=True)
    mine = await driver.slash(world.rhian, "reminders list")
    check(problems, "/reminders list", mine.embeds[0]["description"], TITLE, links=True)

    prompt = await driver.slash(world.organiser, "events cancel", event=TITLE, reason=REASON)
    check(problems, "/events cancel prompt", prompt.content, REASON, links=True)
    await driver.click(world.organiser, prompt.message, text.BUTTON_CANCEL_CONFIRM)
    await ready.post_updater.drain(10)
    [post] = posts(driver, world)
    embed = post.embeds[0]
    check(problems, "cancelled post title", embed["title"], TITLE, links=False)
    reason = field_value(embed, text.EMBED_CANCELLED_REASON)
    check(problems, "cancelled post reason", reason, REASON, links=True)

    refused = await driver.slash(world.organiser, "events cancel", event=TITLE)
    check(problems, "refusal naming the event", refused.content, TITLE, links=True)
    missing = await driver.slash(world.rhian, "events info", event="**no** [such](https://x.y)")
    check(
        problems,
        "refusal echoing the typed text",
        missing.content,
        "**no** [such](https://x.y)",
        links=True,
    )
    assert not problems, "\n".join(problems)


async def test_dms_show_member_text_as_typed(
    ready: Any, driver: Driver, world: CoproWorld, clock: FakeClock
) -> None:
    problems: Problems = []
    await driver.slash(
        world.organiser,
        "events create",
        options={"when": typed(at_local(clock(), days=5)), "title": TITLE, "where": PLACE},
    )
    [post] = posts(driver, world)
    # Rhian is going, so she is told of a new place and of the cancellation.
    await driver.react(world.rhian, post, "✅")
    await driver.wait_for(lambda: "✅ 1 going" in field_value(post.embeds[0], text.RSVP_FIELD))
    await driver.slash(world.organiser, "events edit", event=TITLE, where=NEW_PLACE)
    moved = await driver.wait_for_dm(world.rhian, lambda m: "new place" in m.content)
    check(problems, "new place DM (title)", moved.content, TITLE, links=True)
    check(problems, "new place DM (place)", moved.content, NEW_PLACE, links=True)
    prompt = await driver.slash(world.organiser, "events cancel", event=TITLE, reason=REASON)
    await driver.click(world.organiser, prompt.message, text.BUTTON_CANCEL_CONFIRM)
    cancelled = await driver.wait_for_dm(world.rhian, lambda m: "cancelled" in m.content)
    check(problems, "cancellation DM (title)", cancelled.content, TITLE, links=True)
    check(problems, "cancellation DM (reason)", cancelled.content, REASON, links=True)
    assert not problems, "\n".join(problems)


async def test_letter_and_network_text_shows_as_typed(
    ready: Any, driver: Driver, world: CoproWorld
) -> None:
    problems: Problems = []
    created = await driver.slash(
        world.organiser, "letter create", title=TITLE, addressee=ADDRESSEE, body=BODY
    )
    check(problems, "/letter create reply", created.content, TITLE, links=True)
    [post] = posts(driver, world)
    embed = post.embeds[0]
    check(problems, "letter post title", embed["title"], TITLE, links=False)
    check(problems, "letter post text", embed["description"], BODY, links=True)
    check(
        problems, "letter post addressee", field_value(embed, text.LETTER_TO), ADDRESSEE, links=True
    )

    signed = await driver.slash(
        world.rhian, "letter sign", letter=TITLE, name=NAME, organisation=ORGANISATION
    )
    check(problems, "/letter sign reply (title)", signed.content, TITLE, links=True)
    check(problems, "/letter sign reply (name)", signed.content, NAME, links=True)
    check(problems, "/letter sign reply (organisation)", signed.content, ORGANISATION, links=True)

    info = await driver.slash(world.dafydd, "letter info", letter=TITLE)
    shown = info.embeds[0]
    check(problems, "/letter info title", shown["title"], TITLE, links=False)
    check(problems, "/letter info text", shown["description"], BODY, links=True)

    listed = await driver.slash(world.dafydd, "letter list")
    [entry] = listed.embeds[0]["fields"]
    check(problems, "/letter list name", entry["name"], TITLE, links=False)
    assert f"({text.LETTER_STATE_OPEN})" in entry["name"]
    check(problems, "/letter list addressee", entry["value"], ADDRESSEE, links=True)

    signatures = await driver.slash(world.dafydd, "letter signatures", letter=TITLE)
    page = signatures.embeds[0]
    check(problems, "/letter signatures title", page["title"], TITLE, links=False)
    check(problems, "/letter signatures name", page["description"], NAME, links=True)
    check(
        problems, "/letter signatures organisation", page["description"], ORGANISATION, links=True
    )

    exported = await driver.slash(world.organiser, "letter export", letter=TITLE)
    check(problems, "/letter export reply", exported.content, TITLE, links=True)

    joined = await driver.slash(world.rhian, "network join", organisation=ORGANISATION)
    check(problems, "/network join reply", joined.content, ORGANISATION, links=True)
    stats = await driver.slash(world.rhian, "network stats")
    assert "1 member from 1 organisation" in stats.text  # figures only: no member text there

    missing = await driver.slash(world.rhian, "letter info", letter="__no__ # such")
    check(problems, "refusal echoing the typed text", missing.content, "__no__ # such", links=True)
    assert not problems, "\n".join(problems)
