"""RSVPs by reaction: raw reaction events queued and applied in batches, the clean-up and
DMs they call for, and reconciliation with the posts whenever a new gateway session starts.

Three workers, so that nothing slow holds up what is quick: one applies reactions in batches;
one takes old reactions off (Discord allows about 4 a second per channel, so after a burst it
trails by minutes); one sends DMs (waitlist places, promotions, refusals), which never wait
behind that clean-up. A queued removal is remembered by (message, member, emoji) and dropped
if the member takes that reaction off themselves first."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.domain.events import Event
from bot.domain.notices import Notice
from bot.domain.rsvps import EMOJI_OF, RSVP_EMOJI, Effect, Outcome
from bot.services.rsvps import Applied, Reaction, notice_for

if TYPE_CHECKING:
    from bot.client import Bot

log = logging.getLogger(__name__)

BATCH_MAX = 500
RETRY_PAUSES_S = (0.5, 1.0, 2.0, 4.0, 0.0)  # pause after each failed try; five tries

RemovalKey = tuple[int, int, str]  # message, member, emoji (without variation selector)


def _key(message_id: int, user_id: int, emoji: str) -> RemovalKey:
    return (message_id, user_id, emoji.replace("\ufe0f", ""))


class Rsvps(commands.Cog):
    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.service = bot.rsvp_service
        self.reactions: asyncio.Queue[Reaction] = asyncio.Queue()
        self.removals: asyncio.Queue[tuple[Event, int, tuple[str, ...]]] = asyncio.Queue()
        self.notices: asyncio.Queue[Notice] = asyncio.Queue()
        # Removals waiting in `removals`; a member's own removal of one drops it.
        self.queued_removals: set[RemovalKey] = set()
        self.removals_dropped = 0  # queued removals the member made themselves first
        self.applying = asyncio.Lock()  # reconciliation of a post and a batch never overlap
        self._tasks: list[asyncio.Task[None]] = []
        self._reconciling: asyncio.Task[Counter[str]] | None = None
        self.cannot_tidy: set[int] = set()  # channels where Manage Messages is missing
        self.seen = 0  # reaction events received, ignored ones included
        self._removing = False
        self._notifying = False

    async def cog_load(self) -> None:
        self._tasks = [
            asyncio.create_task(self._apply_reactions(), name="rsvp-reactions"),
            asyncio.create_task(self._take_off_reactions(), name="rsvp-removals"),
            asyncio.create_task(self._send_notices(), name="rsvp-notices"),
        ]

    async def cog_unload(self) -> None:
        for task in self._tasks:
            task.cancel()
        if self._reconciling is not None:
            self._reconciling.cancel()

    def busy(self) -> bool:
        """True while reactions or their effects are waiting or under way (tests wait on this)."""
        queues = (self.reactions, self.removals, self.notices)
        waiting = not all(queue.empty() for queue in queues)
        return waiting or self.applying.locked() or self._removing or self._notifying

    # --- reactions in ----------------------------------------------------------------------

    def _take(self, payload: discord.RawReactionActionEvent, added: bool) -> None:
        self.seen += 1
        me = self.bot.user
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

    @commands.Cog.listener()
    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        self._take(payload, added=True)

    @commands.Cog.listener()
    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        self._take(payload, added=False)

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
                await self.bot.notifier.send(notice)
            except Exception:
                log.exception("could not send %s to %d", notice.key, notice.user_id)
            finally:
                self._notifying = False

    async def _remove_reactions(self, event: Event, user_id: int, emoji: tuple[str, ...]) -> None:
        if event.channel_id in self.cannot_tidy or event.message_id is None:
            return
        current = await self.service.answer_of(event.id, user_id)
        keep = EMOJI_OF[current] if current is not None else None
        emoji = tuple(one for one in emoji if one != keep)  # re-added since: it is the answer now
        channel = self.bot.get_partial_messageable(event.channel_id)
        message = channel.get_partial_message(event.message_id)
        for one in emoji:
            try:
                await message.remove_reaction(one, discord.Object(user_id))
            except discord.Forbidden:
                log.warning(
                    "no Manage Messages in channel %d: old RSVP reactions stay", event.channel_id
                )
                self.cannot_tidy.add(event.channel_id)
                return
            except discord.NotFound:
                return

    # --- reconciliation --------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """A new gateway session (not a RESUME): reactions made meanwhile were never sent."""
        if self._reconciling is not None and not self._reconciling.done():
            self._reconciling.cancel()
        self._reconciling = asyncio.create_task(self.reconcile_all(), name="rsvp-reconcile")

    async def reconcile_all(self) -> Counter[str]:
        tally: Counter[str] = Counter()
        for event in await self.bot.event_service.open_posts():
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
        channel = self.bot.get_partial_messageable(event.channel_id)
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


async def setup(bot: Bot) -> None:
    await bot.add_cog(Rsvps(bot))
