"""/network and /privacy end to end, through the local Discord."""

from __future__ import annotations

import json
from typing import Any

from bot import text
from bot.domain.rsvps import GOING_EMOJI
from tests.e2e.conftest import CoproWorld
from tests.e2e.steps import settled
from tests.fakediscord import Driver, FakeDiscord
from tests.support.dates import at_local, typed
from tests.support.fakes import FakeClock


async def test_network_join_stats_leave(bot_app: Any, driver: Driver, world: CoproWorld) -> None:
    joined = await driver.slash(
        world.rhian, "network join", organisation="Swansea County Council", region="South Wales"
    )
    assert joined.ephemeral and "Swansea County Council" in joined.text
    choices = await driver.autocomplete(world.dafydd, "network join", "organisation", "swansea")
    assert [c["value"] for c in choices] == ["Swansea County Council"]
    await driver.slash(world.dafydd, "network join", organisation="swansea   county council")
    await driver.slash(
        world.admin, "network join", organisation="Patchwork Circles", region="North Wales"
    )
    stats = await driver.slash(world.organiser, "network stats")
    assert stats.ephemeral
    assert stats.embed().description == "3 members from 2 organisations"
    left = await driver.slash(world.dafydd, "network leave")
    assert left.ephemeral and left.text == text.NETWORK_LEFT
    again = await driver.slash(world.dafydd, "network leave")
    assert again.ephemeral and "not on the network list" in again.text
    blank = await driver.slash(world.dafydd, "network join", organisation="   ")
    assert blank.ephemeral and "organisation" in blank.text


async def test_mydata_and_forget(
    bot_app: Any, driver: Driver, world: CoproWorld, discord_server: FakeDiscord, clock: FakeClock
) -> None:
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    when = typed(at_local(clock(), days=5))  # 18:30 five days on
    await driver.slash(world.organiser, "events create", when=when, title="Policy Cafe", capacity=1)
    post = next(m for m in driver.messages(world.announcements) if m.embeds)
    await driver.react(world.rhian, post, GOING_EMOJI)
    await driver.react(world.dafydd, post, GOING_EMOJI)
    await settled(bot_app, discord_server)
    await driver.slash(world.rhian, "network join", organisation="Swansea County Council")

    mine = await driver.slash(world.rhian, "privacy mydata")
    assert mine.ephemeral
    data = json.loads(mine.files["my-data.json"])
    assert data["user_id"] == str(world.rhian.id)
    assert [r["event_title"] for r in data["data"]["rsvps"]] == ["Policy Cafe"]
    assert [p["organisation"] for p in data["data"]["network_profile"]] == [
        "Swansea County Council"
    ]

    prompt = await driver.slash(world.rhian, "privacy forget")
    assert prompt.ephemeral and text.PRIVACY_FORGET_BUTTON in [b["label"] for b in prompt.buttons()]
    done = await driver.click(world.rhian, prompt.message, text.PRIVACY_FORGET_BUTTON)
    assert "Removed" in driver.message(done.message or prompt).content
    await settled(bot_app, discord_server)
    promoted = await driver.wait_for_dm(world.dafydd, lambda m: "you're now going" in m.content)
    assert "Policy Cafe" in promoted.content
    # her reaction is taken off too, so a restart's reconciliation does not read it back in
    await driver.wait_for(lambda: world.rhian.id not in post.reactors(GOING_EMOJI))
    counts = next(f["value"] for f in post.embeds[0]["fields"] if f["name"] == "RSVPs")
    assert counts.startswith("✅ 1/1 going")
    after = await driver.slash(world.rhian, "privacy mydata")
    emptied = json.loads(after.files["my-data.json"])["data"]
    assert all(rows == [] for rows in emptied.values())
    kept = await driver.slash(world.dafydd, "privacy mydata")
    assert len(json.loads(kept.files["my-data.json"])["data"]["rsvps"]) == 1
