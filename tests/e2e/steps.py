"""Steps many end-to-end tests take: announce a meeting, wait until the bot has caught up
with every reaction, read the counts it stored and shows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.domain.rsvps import RsvpCounts
from tests.fakediscord import Driver, FakeDiscord
from tests.fakediscord.models import Message

if TYPE_CHECKING:  # conftest uses these steps for its fixtures
    from tests.e2e.conftest import CoproWorld


def reaction_events(server: FakeDiscord, *, every_session: bool = False) -> int:
    """Reaction events the stand-in has dispatched to the bot: to its live session, or in
    every session it has had (after gateway drops)."""
    sessions = [
        s for s in server.gateway.sessions.values() if every_session or s.connection is not None
    ]
    return sum(1 for s in sessions for e in s.events if e.name.startswith("MESSAGE_REACTION_"))


async def settled(bot: Any, server: FakeDiscord, *, every_session: bool = False) -> None:
    """Every reaction event received and applied, its clean-up and DMs done, posts edited.
    (The clean-up's own removals are reaction events too, hence the loop.)"""
    workers = bot.rsvp_workers

    def sent() -> int:
        return reaction_events(server, every_session=every_session)

    for _ in range(3):
        await server.wait_for(
            lambda: workers.seen >= sent() and not workers.busy(),
            timeout=10,
            message=lambda: f"bot saw {workers.seen} of {sent()} reaction events",
        )
    await bot.post_updater.drain(10)


async def announce(
    driver: Driver, world: CoproWorld, meeting: dict[str, str], **options: Any
) -> Message:
    """Set the announcements channel and create the meeting there; its post."""
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    reply = await driver.slash(world.organiser, "events create", options={**meeting, **options})
    assert reply.ephemeral, reply.text
    [post] = [m for m in driver.messages(world.announcements) if m.embeds]
    return post


async def counts(bot: Any, post: Any) -> RsvpCounts:
    """The counts stored for the event of `post`."""
    event = next(e for e in await bot.event_service.open_posts() if e.message_id == post.id)
    return (await bot.event_service.details(event)).counts


def counts_on_post(post: Any) -> str:
    return next(f["value"] for f in post.embeds[0]["fields"] if f["name"] == "RSVPs")
