"""RSVPs by reaction: raw reaction events queued and applied in batches, the clean-up and
DMs they call for, and reconciliation with the posts whenever a new gateway session starts.
The /rsvp cog's listeners hand every payload here.

Three workers, so that nothing slow holds up what is quick: one applies reactions in batches;
one takes old reactions off (Discord allows about 4 a second per channel, so after a burst it
trails by minutes); one sends DMs (waitlist places, promotions, refusals), which never wait
behind that clean-up. A queued removal is remembered by (message, member, emoji) and dropped
if the member takes that reaction off themselves first.

Where Discord refuses the clean-up (no Manage Messages in a channel), the removals still owed
there wait, and the channel is not asked again for each of them; they are tried again when the
channel, a role or the bot's own member changes, at a new gateway session, or at the next
reaction in that channel once `TIDY_RETRY_AFTER` has passed (a change the bot is not told of)."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord

from bot.clock import Clock
from bot.domain.events import Event
from bot.domain.notices import Notice
from bot.domain.rsvps import EMOJI_OF, RSVP_EMOJI, Effect, Outcome, notice_for
from bot.services.ports import Applied, Notifier, Reaction

if TYPE_CHECKING:
    from bot.services.rsvps import RsvpService

log = logging.getLogger(__name__)

BATCH_MAX = 500
RETRY_PAUSES_S = (0.5, 1.0, 2.0, 4.0, 0.0)  # pause after each failed try; five tries
TIDY_RETRY_AFTER = timedelta(minutes=10)  # a refused clean-up is tried again at most this often
OWED_MAX = 10_000  # removals kept waiting per refused channel (a new session finds the rest)

RemovalKey = tuple[int, int, str]  # message, member, emoji (without variation selector)
Removal = tuple[Event, int, tuple[str, ...]]  # the post, the member, the reactions to take off
OpenPosts = Callable[[], Awaitable[Sequence[Event]]]


def _key(message_id: int, user_id: int, emoji: str) -> RemovalKey:
    return (message_id, user_id, emoji.replace("\ufe0f", ""))


class ReactionWorkers:
    """The reaction, clean-up and DM workers, with what they owe and have refused.

    `busy()`, `seen`, `removals_dropped`, `queued_removals` and `reconciling` are what tests
    and benchmarks wait on and read."""

    def __init__(
        self, client: discord.Client, rsvps: RsvpService, notifier: Notifier, posts: OpenPosts
    ) -> None:
        self.client = client
        self.clock: Clock = rsvps.clock  # refusals are timed on the service's clock
        self.service = rsvps
        self.notifier = notifier
        self.open_posts = posts  # every post that takes answers, for reconciliation
        self.reactions: asyncio.Queue[Reaction] = asyncio.Queue()
        self.removals: asyncio.Queue[Removal] = asyncio.Queue()
        self.notices: asyncio.Queue[Notice] = asyncio.Queue()
        # Removals waiting in `removals`; a member's own removal of one drops it.
        self.queued_removals: set[RemovalKey] = set()
        self.removals_dropped = 0  # queued removals the member made themselves first
        self.applying = asyncio.Lock()  # reconciliation of a post and a batch never overlap
        self._tasks: list[asyncio.Task[None]] = []
        self.reconciling: asyncio.Task[Counter[str]] | None = None
        # Channels where Discord refused the clean-up, since when, and the removals owed there.
        self.refused: dict[int, datetime] = {}
        self.owed: dict[int, list[Removal]] = {}
        self.seen = 0  # reaction events received, ignored ones included
        self._removing = False
        self._notifying = False

    def start(self) -> None:
        self.service.effects = self  # reactions that came before their post's id was saved
        self._tasks = [
            asyncio.create_task(self._apply_reactions(), name="rsvp-reactions"),
            asyncio.create_task(self._take_off_reactions(), name="rsvp-removals"),
            asyncio.create_task(self._send_notices(), name="rsvp-notices"),
        ]

    def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        if self.reconciling is not None:
            self.reconciling.cancel()

    def busy(self) -> bool:
        """True while reactions or their effects are waiting or under way (tests wait on this)."""
        queues = (self.reactions, self.removals, self.notices)
        waiting = not all(queue.empty() for queue in queues)
        return waiting or self.applying.locked() or self._removing or self._notifying

    # --- reactions in ----------------------------------------------------------------------

    def take(self, payload: discord.RawReactionActionEvent, *, added: bool) -> None:
        """A raw reaction added or taken off, from the gateway."""
        self.seen += 1
        self._retry_if_due(payload.channel_id)
        me = self.client.user
        if payload.guild_id is None or (me is not None and payload.user_id == me.id):
            return
        if payload.member is not None and payload.member.bot:
            return  # bots' reactions are ignored (a removal has no member; bots have no rows)
        reaction = Reaction(added, payload.message_id, payload.user_id, str(payload.emoji))
        if not added:
            self._forget_removal(reaction)
        self.reactions.put_nowait(reaction)

    def _forget_removal(self, reaction: Reaction) -> None:
        """The reaction is off already: a removal of it still queued has nothing to do."""
        key = _key(reaction.message_id, reaction.user_id, reaction.emoji)
        if key in self.queued_removals:
            self.queued_removals.discard(key)
            self.removals_dropped += 1

    async def _apply_reactions(self) -> None:
        while True:
            batch = [await self.reactions.get()]
            while not self.reactions.empty() and len(batch) < BATCH_MAX:
                batch.append(self.reactions.get_nowait())
            applied = await self._apply_with_retries(batch)
            self._queue_effects(batch, applied)

    def _queue_effects(self, batch: list[Reaction], applied: list[Applied]) -> None:
        """Queue what each reaction calls for, in the batch's order: a member's removal later
        in the batch drops a removal that an earlier reaction of the batch queued."""
        by_reaction: dict[int, list[Applied]] = {}
        for result in applied:
            by_reaction.setdefault(id(result.reaction), []).append(result)
        for reaction in batch:
            if not reaction.added:
                self._forget_removal(reaction)
            for result in by_reaction.get(id(reaction), ()):
                for outcome in result.outcomes:
                    self._queue(result.event, outcome)

    def follow(self, applied: Sequence[Applied]) -> None:
        """What reactions applied outside our batches call for (those that came on a post
        before its id was saved): queued like our own."""
        for result in applied:
            for outcome in result.outcomes:
                self._queue(result.event, outcome)

    def _queue(self, event: Event, outcome: Outcome) -> None:
        if outcome.remove_emoji and event.message_id is not None:
            for one in outcome.remove_emoji:
                self.queued_removals.add(_key(event.message_id, outcome.user_id, one))
            self.removals.put_nowait((event, outcome.user_id, outcome.remove_emoji))
        notice = notice_for(event, outcome)
        if notice is not None:
            self.notices.put_nowait(notice)

    async def _apply_with_retries(self, batch: list[Reaction]) -> list[Applied]:
        """A locked or briefly failing database must not lose reactions: try again with
        backoff; if it still fails, the next start's reconciliation reads the posts again."""
        for attempt, pause in enumerate(RETRY_PAUSES_S, start=1):
            try:
                async with self.applying:
                    return await self.service.apply(batch)
            except Exception:
                if attempt == len(RETRY_PAUSES_S):
                    log.exception(
                        "could not save %d reaction(s); they will be read from the posts "
                        "again at the next start",
                        len(batch),
                    )
                    return []
                log.warning("could not save %d reaction(s); trying again", len(batch))
                await asyncio.sleep(pause)
        return []

    # --- effects out -----------------------------------------------------------------------

    async def _take_off_reactions(self) -> None:
        while True:
            event, user_id, emoji = await self.removals.get()
            self._removing = True
            try:
                assert event.message_id is not None
                still = []
                for one in emoji:
                    key = _key(event.message_id, user_id, one)
                    if key in self.queued_removals:
                        self.queued_removals.discard(key)
                        still.append(one)
                if still:
                    await self._remove_reactions(event, user_id, tuple(still))
            except Exception:
                log.exception("could not take RSVP reactions of %d off", user_id)
            finally:
                self._removing = False

    async def _send_notices(self) -> None:
        while True:
            notice = await self.notices.get()
            self._notifying = True
            try:
                await self.notifier.send(notice)
            except Exception:
                log.exception("could not send %s to %d", notice.key, notice.user_id)
            finally:
                self._notifying = False

    async def _remove_reactions(self, event: Event, user_id: int, emoji: tuple[str, ...]) -> None:
        if event.message_id is None:
            return
        self._retry_if_due(event.channel_id)
        if event.channel_id in self.refused:
            self._owe((event, user_id, emoji))
            return
        current = await self.service.answer_of(event.id, user_id)
        keep = EMOJI_OF[current] if current is not None else None
        emoji = tuple(one for one in emoji if one != keep)  # re-added since: it is the answer now
        await self._take_off(event, user_id, emoji)

    async def _take_off(self, event: Event, user_id: int, emoji: tuple[str, ...]) -> bool:
        """Take these reactions of a member off a post. False when Discord refused: they are
        owed, and the channel is not asked again until a retry is due."""
        assert event.message_id is not None
        self._retry_if_due(event.channel_id)
        if event.channel_id in self.refused:
            self._owe((event, user_id, emoji))
            return False
        channel = self.client.get_partial_messageable(event.channel_id)
        message = channel.get_partial_message(event.message_id)
        for index, one in enumerate(emoji):
            try:
                await message.remove_reaction(one, discord.Object(user_id))
            except discord.Forbidden:
                log.warning(
                    "no Manage Messages in channel %d: RSVP reactions stay until it is given",
                    event.channel_id,
                )
                self.refused[event.channel_id] = self.clock()
                self._owe((event, user_id, emoji[index:]))
                return False
            except discord.NotFound:
                return True  # the post is gone, and every reaction with it
        return True

    async def take_off_now(self, event: Event, user_id: int) -> bool:
        """Take every RSVP reaction of a member off a post now (they asked to be forgotten).
        False when some may be left: Discord refused (then they are owed like any clean-up)
        or failed."""
        if event.message_id is None:
            return True
        try:
            return await self._take_off(event, user_id, RSVP_EMOJI)
        except discord.HTTPException as exc:
            log.warning("could not take %d's reactions off event %d: %s", user_id, event.id, exc)
            return False

    # --- clean-up refused, and tried again ---------------------------------------------------

    def _owe(self, removal: Removal) -> None:
        """Keep a removal for when the channel lets us (the member's own removal drops it)."""
        event, user_id, emoji = removal
        assert event.message_id is not None
        owed = self.owed.setdefault(event.channel_id, [])
        if len(owed) >= OWED_MAX:
            return  # the next session's reconciliation finds these reactions again
        for one in emoji:
            self.queued_removals.add(_key(event.message_id, user_id, one))
        owed.append(removal)

    def _retry(self, channel_id: int) -> None:
        """Ask Discord again: the removals owed in the channel go back in the queue."""
        self.refused.pop(channel_id, None)
        owed = self.owed.pop(channel_id, [])
        if owed:
            log.info("trying the clean-up in channel %d again (%d owed)", channel_id, len(owed))
        for removal in owed:
            self.removals.put_nowait(removal)

    def _retry_if_due(self, channel_id: int) -> None:
        refused_at = self.refused.get(channel_id)
        if refused_at is not None and self.clock() - refused_at >= TIDY_RETRY_AFTER:
            self._retry(channel_id)

    def retry_where_allowed(self, guild: discord.Guild) -> None:
        """Permissions in a server changed: try again where the bot may now tidy up."""
        me = guild.me
        for channel_id in list(self.refused):
            channel = guild.get_channel_or_thread(channel_id)
            if channel is None:
                continue  # another server's channel
            if me is None or channel.permissions_for(me).manage_messages:
                self._retry(channel_id)

    # --- reconciliation --------------------------------------------------------------------

    def new_session(self) -> None:
        """A new gateway session (not a RESUME): reactions made meanwhile were never sent."""
        if self.reconciling is not None and not self.reconciling.done():
            self.reconciling.cancel()
        for channel_id in list(self.refused):  # permissions may have changed meanwhile
            self._retry(channel_id)
        self.reconciling = asyncio.create_task(self.reconcile_all(), name="rsvp-reconcile")

    async def reconcile_all(self) -> Counter[str]:
        tally: Counter[str] = Counter()
        try:
            await self.service.prune_forgotten()
        except Exception:
            log.exception("could not drop forgotten reactions of posts that no longer take answers")
        for event in await self.open_posts():
            try:
                async with self.applying:
                    present = await self._read_reactions(event)
                    if present is None:
                        continue
                    outcomes = await self.service.reconcile(event.id, present)
            except discord.HTTPException as exc:
                log.warning("could not read the reactions of event %d: %s", event.id, exc)
                continue
            tally["posts"] += 1
            for outcome in outcomes:
                tally[outcome.effect.value] += 1
                self._queue(event, outcome)
        added = tally[Effect.ANSWERED.value] + tally[Effect.WAITLISTED.value]
        log.info(
            "reconciled %d posts: %d answers added, %d withdrawn, %d promoted",
            tally["posts"],
            added,
            tally[Effect.WITHDRAWN.value],
            tally[Effect.PROMOTED.value],
        )
        return tally

    async def _read_reactions(self, event: Event) -> dict[int, set[str]] | None:
        assert event.message_id is not None
        channel = self.client.get_partial_messageable(event.channel_id)
        try:
            message = await channel.fetch_message(event.message_id)
        except discord.NotFound:
            return None
        present: dict[int, set[str]] = {}
        for reaction in message.reactions:
            emoji = str(reaction.emoji).replace("\ufe0f", "")
            if emoji not in RSVP_EMOJI:
                continue
            async for user in reaction.users(limit=None):
                if not user.bot:
                    present.setdefault(user.id, set()).add(emoji)
        return present
