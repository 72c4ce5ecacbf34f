"""Use cases for open letters: create, sign, withdraw, list, edit, close, export.

The letter's post is reached through the `LetterPoster` port and kept current through the
paced post updater (`PostTouch`); closing times are jobs on the Jobs port, rebuilt from the
database at every start. This module never touches Discord or APScheduler.

Order of work: a new letter is stored first (its Sign button needs the id), marked unposted,
then posted, then marked posted; if the post fails the row is removed again (and a post
whose id can't be saved is taken down), and rows left unposted by a stop in between are
swept at the next start, as events are. Every change of several rows is one transaction;
posts and celebrations follow once it has committed.

Milestones: the signature that first takes the count over a multiple of `milestone` claims
it in its own transaction (`letters.celebrated`, the highest claimed, only ever rises), so
each crossing is remembered once and a withdraw and re-sign never claims it again. The
celebration itself is not awaited by the signer: it is touched (kind `letter-celebration`)
on `celebrations`, a paced per-channel worker of its own in the running bot (the post
updater's class; new messages have a per-channel limit apart from edits', and sharing the
edits' worker put a celebration's gap before the post's last edit), which posts only the
highest milestone claimed since the last celebration of that letter. A burst that crosses
25, 50, 75 and 100 before the worker's turn gives one message, "100 signatures"; the
milestones it folds in are claimed all the same and never celebrated later. Celebrations
are best effort: one that fails is logged, and one still waiting when the bot stops is not
posted after the restart.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.db import Database
from bot.domain.errors import UserError
from bot.domain.events import CLEAR
from bot.domain.guilds import Actor, require_own_channel
from bot.domain.languages import Mode
from bot.domain.letters import (
    SIGNATURES_PAGE_SIZE,
    WEB_SIGNATURES_PAGE_SIZE,
    Letter,
    LetterChanges,
    LetterDraft,
    OrganisationGroup,
    Signature,
    SignatureDraft,
    Tally,
    apply_changes,
    check_closable,
    check_signable,
    distinct_organisations,
    group_by_organisation,
    make_draft,
    merge_signature,
    milestone_reached,
    rebased_celebrated,
    reopens,
    what_changed,
)
from bot.domain.notices import Notice
from bot.domain.refs import find_ref
from bot.domain.timeparse import ParsedWhen, parse_when
from bot.services.ports import Guilds, Jobs, LetterPoster, PostTouch
from bot.stores.letters import LetterStore, SignatureStore
from bot.stores.organisations import OrganisationStore

log = logging.getLogger(__name__)
RECENTLY_CLOSED = timedelta(days=7)

CHOICES_MAX = 25
LIST_MAX = 25
POST_KIND = "letter"
CELEBRATION_KIND = "letter-celebration"


def _owned(letter: Letter | None, guild_id: int, letter_id: int) -> Letter:
    """`letter` if it is the server's letter `letter_id` (a button's or form's)."""
    if letter is None or letter.guild_id != guild_id:
        raise UserError("letter_not_found", text=str(letter_id))
    return letter


def close_job_id(letter_id: int) -> str:
    return f"letter-close:{letter_id}"


@dataclass(frozen=True)
class LetterInput:
    """What an organiser typed into /letter create or edit (raw text)."""

    title: str | None = None
    addressee: str | None = None
    body: str | None = None
    closes: str | None = None
    milestone: int | None = None
    web: bool | None = None  # the public page up (True) or down (False); None leaves it
    title_cy: str | None = None  # the Welsh title and text; in an edit "-" removes them
    body_cy: str | None = None


@dataclass(frozen=True)
class Created:
    letter: Letter
    ambiguous_local: datetime | None  # set when the typed closing time happened twice


@dataclass(frozen=True)
class Shown:
    letter: Letter
    tally: Tally


@dataclass(frozen=True)
class Signed:
    letter: Letter
    signature: SignatureDraft
    tally: Tally
    first: bool  # a new signature (not an update of the member's earlier one)
    milestone: int | None  # the count celebrated by this signature, if any


@dataclass(frozen=True)
class Edited:
    letter: Letter
    tally: Tally
    changes: tuple[str, ...]
    reopened: bool
    reposted: bool
    ambiguous_local: datetime | None
    notices: list[Notice] = field(default_factory=list)  # DMs the edit owes signers


@dataclass(frozen=True)
class SignaturePage:
    letter: Letter
    tally: Tally
    signatures: list[Signature]
    page: int  # 0-based
    pages: int


@dataclass(frozen=True)
class PublicPage:
    """One page of a letter's public web page: the same signatories, in the same order, as
    /letter signatures pages `page * 25` to `page * 25 + 24` (WEB_SIGNATURES_PAGE_SIZE),
    shown grouped by organisation within the page."""

    letter: Letter
    tally: Tally
    signatures: list[Signature]  # this page's, in the order people signed
    groups: list[OrganisationGroup]  # the same signatures by organisation
    page: int  # 0-based
    pages: int
    tz: str  # the server's zone: the page gives its times there
    mode: Mode = Mode.EN  # the server's language: the page's own when none is asked for


@dataclass(frozen=True)
class PublicData:
    """What a letter's .json and .csv give: the letter and all its public signatories."""

    letter: Letter
    tally: Tally
    signatures: list[Signature]  # the public ones, in the order people signed


@dataclass(frozen=True)
class Export:
    letter: Letter
    tally: Tally
    signatures: list[Signature]  # the public ones, in the order people signed
    at: datetime


class LetterService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        guilds: Guilds,
        poster: LetterPoster,
        posts: PostTouch,
        jobs: Jobs,
        celebrations: PostTouch | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.guilds = guilds
        self.poster = poster
        self.posts = posts
        self.jobs = jobs
        # Where milestone celebrations are paced (`celebrate_due` is its refresher for
        # CELEBRATION_KIND); the running bot hands over a worker of their own.
        self.celebrations = celebrations if celebrations is not None else posts
        self.store = LetterStore(db)
        self.signatures = SignatureStore(db)
        self.organisations = OrganisationStore(db)
        # Claimed milestones not yet posted, by letter: the highest, with the letter as it
        # was when it was claimed.
        self._milestones_due: dict[int, tuple[Letter, int]] = {}

    # --- reading -------------------------------------------------------------------------

    async def resolve(self, guild_id: int, text: str) -> Letter:
        """The letter a `letter` option names: an autocomplete id, or an exact unique title."""
        async with self.db.reading():
            return await find_ref(guild_id, text, self.store, "letter")

    async def _own(self, guild_id: int, letter_id: int) -> Letter:
        """The server's letter `letter_id` (a button's or form's), inside a unit of work the
        caller holds."""
        return _owned(await self.store.get(letter_id), guild_id, letter_id)

    async def suggest(self, guild_id: int, text: str, *, open_only: bool) -> list[Letter]:
        """Letters for autocomplete: titles containing `text`, newest first."""
        async with self.db.reading():
            return await self.store.search(
                guild_id, text.strip()[:100], self.clock() if open_only else None, CHOICES_MAX
            )

    async def suggest_organisations(self, guild_id: int, text: str) -> list[str]:
        """Organisations signatories already gave, spelling variants once, most used first."""
        typed = " ".join(text.split())[:100]
        async with self.db.reading():
            found = await self.signatures.organisations(guild_id, typed, 200)
        return distinct_organisations(found)[:CHOICES_MAX]

    async def info(self, letter: Letter) -> Shown:
        async with self.db.reading():
            tally = await self.signatures.tally(letter.id)
        return Shown(letter, tally)

    async def signatures_page(self, guild_id: int, letter_id: int, page: int) -> SignaturePage:
        async with self.db.reading():
            letter = await self._own(guild_id, letter_id)
            return await self._page(letter, page, SIGNATURES_PAGE_SIZE)

    async def _page(self, letter: Letter, page: int, size: int) -> SignaturePage:
        """Page `page` (0-based, clamped to the pages there are) of the letter's public
        signatories in the order people signed, `size` a page, inside a unit of work the
        caller holds. One indexed read (signatures_public_order): fast at any length."""
        tally = await self.signatures.tally(letter.id)
        pages = max(1, -(-tally.listed // size))
        page = min(max(page, 0), pages - 1)
        signatures = await self.signatures.public_page(letter.id, size, page * size)
        return SignaturePage(letter, tally, signatures, page, pages)

    async def _public_letter(self, slug: str) -> Letter | None:
        """The letter whose page is at `slug`, if that page is up."""
        letter = await self.store.by_slug(slug)
        return letter if letter is not None and letter.web else None

    async def public_letter(self, slug: str) -> Letter | None:
        """The letter at `slug` if its page is up (one indexed row: the web checks with it
        whether a page it built is still right, see `Letter.signatures_version`). One
        statement, outside a transaction: every request for a page asks it first."""
        async with self.db.statement():
            return await self._public_letter(slug)

    async def public_page(self, slug: str, page: int) -> PublicPage | None:
        """The public web page `page` (0-based) of the letter at `slug`; None when there is
        no such letter, its page is down, or the page is past the last (the web answers 404).
        Private signers are in the count, never in the list."""
        if page < 0:
            return None
        async with self.db.reading():
            letter = await self._public_letter(slug)
            if letter is None:
                return None
            shown = await self._page(letter, page, WEB_SIGNATURES_PAGE_SIZE)
        if shown.page != page:
            return None
        groups = group_by_organisation(shown.signatures)
        settings = await self.guilds.settings(letter.guild_id)
        return PublicPage(
            letter,
            shown.tally,
            shown.signatures,
            groups,
            page,
            shown.pages,
            settings.tz,
            settings.language,
        )

    async def public_mode(self, letter: Letter) -> Mode:
        """The language of the letter's server: what its public page is in by default
        (bot.domain.page_language)."""
        return (await self.guilds.settings(letter.guild_id)).language

    async def public_data(self, slug: str) -> PublicData | None:
        """The letter at `slug` with all its public signatories (its .json and .csv); None
        when there is no such letter or its page is down."""
        async with self.db.reading():
            letter = await self._public_letter(slug)
            if letter is None:
                return None
            tally = await self.signatures.tally(letter.id)
            signatures = await self.signatures.public(letter.id)
        return PublicData(letter, tally, signatures)

    async def list_letters(self, guild_id: int) -> tuple[list[Shown], int]:
        """The server's letters with their counts (open first), and how many there are."""
        async with self.db.reading():
            letters = await self.store.list_for_guild(guild_id, LIST_MAX)
            total = await self.store.count_for_guild(guild_id)
            tallies = await self.signatures.tallies([letter.id for letter in letters])
        now = self.clock()
        shown = [Shown(letter, tallies[letter.id]) for letter in letters]
        shown.sort(key=lambda s: s.letter.is_closed(now))  # stable: keeps the store's order
        return shown, total

    async def prepare_sign(
        self, guild_id: int, user_id: int, letter_id: int
    ) -> tuple[Letter, Signature | None]:
        """Check the letter can be signed before a form opens; returns it and the member's
        earlier signature (to fill the form in)."""
        # One statement, so one wait for the database: the form must open within 3 s, while
        # others' signatures are being written (a read transaction of two was four waits).
        async with self.db.statement():
            found, previous = await self.store.get_with_signature(letter_id, user_id)
        letter = _owned(found, guild_id, letter_id)
        check_signable(letter, self.clock())
        return letter, previous

    # --- signing -------------------------------------------------------------------------

    async def sign(
        self,
        guild_id: int,
        user_id: int,
        letter_id: int,
        *,
        name: str | None,
        organisation: str | None,
        public: bool | None,
    ) -> Signed:
        """Add the member's signature, or update its details (blank fields keep theirs)."""
        now = self.clock()
        # Few statements: while many sign at once each waits for the ones before it.
        async with self.db.transaction():
            found, previous = await self.store.get_with_signature(letter_id, user_id)
            letter = _owned(found, guild_id, letter_id)
            check_signable(letter, now)
            draft = merge_signature(previous, name=name, organisation=organisation, public=public)
            record_id = (
                await self.organisations.resolve_id(guild_id, draft.organisation, now)
                if draft.organisation is not None
                else None
            )
            await self.signatures.upsert(letter.id, user_id, draft, now, record_id)
            tally = await self.signatures.tally(letter.id)
            reached = milestone_reached(tally.signatures, letter.milestone, letter.celebrated)
            if reached is not None and not await self.store.claim_milestone(letter.id, reached):
                reached = None
        self._touch(letter)
        if reached is not None:
            self._celebrate_soon(letter, reached)
        return Signed(letter, draft, tally, previous is None, reached)

    async def withdraw(self, guild_id: int, user_id: int, letter_id: int) -> Shown:
        """Take the member's signature off the letter (allowed after closing, too)."""
        async with self.db.transaction():
            found = await self._own(guild_id, letter_id)
            if not await self.signatures.delete(found.id, user_id):
                raise UserError("letter_not_signed", title=found.title)
            tally = await self.signatures.tally(found.id)
        self._touch(found)
        return Shown(found, tally)

    def _celebrate_soon(self, letter: Letter, count: int) -> None:
        """Queue a claimed milestone for the channel's paced worker (never awaited)."""
        if letter.message_id is None:  # signed between its insert and its post: stay quiet
            log.info("letter %d reached %d signatures before its post was out", letter.id, count)
            return
        due = self._milestones_due.get(letter.id)
        if due is None or due[1] < count:
            self._milestones_due[letter.id] = (letter, count)
        self.celebrations.touch(CELEBRATION_KIND, letter.id, letter.channel_id, letter.message_id)

    async def celebrate_due(self, letter_id: int) -> None:
        """The paced worker's turn: post the highest milestone claimed since the last
        celebration of this letter (nothing when it has been posted already)."""
        due = self._milestones_due.pop(letter_id, None)
        if due is None:
            return
        letter, count = due
        try:
            await self.poster.celebrate(letter, count)
        except Exception:
            log.exception("could not celebrate %d signatures on letter %d", count, letter.id)
        else:
            log.info("letter %d reached %d signatures", letter.id, count)

    # --- organisers ----------------------------------------------------------------------

    async def _checked(
        self,
        guild_id: int,
        actor: Actor,
        typed: LetterInput,
        channel_id: int | None,
        can_post_there: bool,
        now: datetime,
        *,
        body_required: bool,
    ) -> tuple[LetterDraft, int, ParsedWhen | None]:
        """/letter create's checks: organiser, title, addressee, text (unless the form asks
        for it next), closing time, milestone and channel (`can_post_there`: whether the
        organiser may see and send in `channel_id`). Returns the draft, the channel it goes
        to and the closing time as read."""
        settings = await self.guilds.require_organiser(guild_id, actor)
        require_own_channel(channel_id, can_post_there)
        closes = parse_when(typed.closes, now, settings.tz) if typed.closes else None
        draft = make_draft(
            title=typed.title,
            addressee=typed.addressee,
            body=typed.body,
            closes_at=closes.at if closes else None,
            milestone=typed.milestone,
            body_required=body_required,
            title_cy=typed.title_cy,
            body_cy=typed.body_cy,
        )
        target = channel_id or settings.announcements_channel_id
        if target is None:
            raise UserError("no_announcements_channel")
        return draft, target, closes

    async def prepare_create(
        self,
        guild_id: int,
        actor: Actor,
        typed: LetterInput,
        channel_id: int | None,
        *,
        can_post_there: bool = True,
    ) -> None:
        """The checks /letter create makes before its form for the text opens (all quick)."""
        await self._checked(
            guild_id, actor, typed, channel_id, can_post_there, self.clock(), body_required=False
        )

    async def create(
        self,
        guild_id: int,
        actor: Actor,
        typed: LetterInput,
        channel_id: int | None,
        *,
        can_post_there: bool = True,
    ) -> Created:
        now = self.clock()
        draft, target, closes = await self._checked(
            guild_id, actor, typed, channel_id, can_post_there, now, body_required=True
        )
        async with self.db.transaction():
            letter_id = await self.store.insert(guild_id, draft, target, actor.user_id, now)
            letter = await self.store.get(letter_id)
        assert letter is not None
        try:
            message_id = await self.poster.publish(letter, Tally(), now)
        except BaseException:
            await self._discard(letter)
            raise
        try:
            async with self.db.transaction():
                await self.store.set_message(letter_id, message_id)
        except BaseException:
            await self.poster.withdraw(target, message_id)
            await self._discard(letter)
            raise
        letter = replace(letter, message_id=message_id)
        self._plan_close(letter)
        log.info("letter %d created in guild %d by %d", letter_id, guild_id, actor.user_id)
        return Created(letter, closes.local if closes and closes.ambiguous else None)

    async def _discard(self, letter: Letter) -> None:
        """Undo a create whose post never went out. If even that fails, the row stays marked
        unposted and `sweep_unposted` removes it at the next start."""
        try:
            async with self.db.transaction():
                await self.store.delete(letter.id)
        except Exception:
            log.exception(
                "could not discard unposted letter %d; swept at the next start", letter.id
            )

    async def sweep_unposted(self) -> int:
        """At start: remove letters saved whose post never went out (the bot stopped between
        saving and posting, so the organiser was never told it worked; signatures given in
        that moment go with them). Returns how many."""
        async with self.db.reading():
            unposted = await self.store.list_unposted()
        if not unposted:
            return 0
        async with self.db.transaction():
            for letter in await self.store.list_unposted():
                await self.store.delete(letter.id)
        for letter in unposted:
            log.warning(
                "removed letter %d (%r, guild %d): saved but never posted",
                letter.id,
                letter.title,
                letter.guild_id,
            )
        return len(unposted)

    async def edit(self, guild_id: int, actor: Actor, found: Letter, typed: LetterInput) -> Edited:
        settings = await self.guilds.require_organiser(guild_id, actor)
        now = self.clock()
        clear_closes = typed.closes is not None and typed.closes.strip() == CLEAR
        closes = (
            parse_when(typed.closes, now, settings.tz)
            if typed.closes is not None and not clear_closes
            else None
        )
        changes = LetterChanges(
            title=typed.title,
            addressee=typed.addressee,
            body=typed.body,
            closes_at=closes.at if closes else None,
            clear_closes=clear_closes,
            milestone=typed.milestone,
            title_cy=typed.title_cy,
            body_cy=typed.body_cy,
        )
        notices: list[Notice] = []
        async with self.db.transaction():
            current = await self.store.get(found.id)
            assert current is not None
            if changes.is_empty() and typed.web is not None:  # only the page up or down
                draft = LetterDraft(
                    current.title,
                    current.addressee,
                    current.body,
                    current.closes_at,
                    current.milestone,
                    current.title_cy,
                    current.body_cy,
                )
            else:
                draft = apply_changes(current, changes)
            changed = what_changed(current, draft)
            reopened = reopens(current, draft, now)
            if reopened and await self.store.signatures_erased(current.id):
                raise UserError("letter_erased_reopen", title=current.title)
            if changed:
                await self.store.update(current.id, draft, now)
            if typed.web is not None and typed.web != current.web:
                await self.store.set_web(current.id, typed.web)
                changed += ("web",)
            tally = await self.signatures.tally(current.id)
            if ("body" in changed or "body_cy" in changed) and tally.signatures:
                await self.store.mark_body_changed(current.id, now)
                notices = [
                    Notice(
                        user_id,
                        "letter_body_changed",
                        {"title": draft.title, "title_cy": draft.title_cy, "at": now},
                        nonce=f"letter{current.id}-{int(now.timestamp())}",
                        guild_id=current.guild_id,
                    )
                    for user_id in await self.signatures.signer_ids(current.id)
                ]
            if "milestone" in changed:
                await self.store.set_celebrated(
                    current.id,
                    rebased_celebrated(tally.signatures, draft.milestone, current.celebrated),
                )
            if reopened:
                await self.store.reopen(current.id)
            updated = await self.store.get(current.id)
        assert updated is not None
        reposted = False
        if changed:
            if "closes" in changed:
                self._plan_close(updated)
            updated, reposted = await self._show(updated, tally)
        ambiguous = closes.local if closes and closes.ambiguous else None
        log.info("letter %d edited by %d: %s", updated.id, actor.user_id, ", ".join(changed))
        return Edited(updated, tally, changed, reopened, reposted, ambiguous, notices)

    async def prepare_close(self, guild_id: int, actor: Actor, letter: Letter) -> Shown:
        """Check a close may go ahead, before asking the organiser to confirm."""
        await self.guilds.require_organiser(guild_id, actor)
        check_closable(letter, self.clock())
        async with self.db.reading():
            tally = await self.signatures.tally(letter.id)
        return Shown(letter, tally)

    async def close(self, guild_id: int, actor: Actor, letter_id: int) -> Shown:
        await self.guilds.require_organiser(guild_id, actor)
        now = self.clock()
        async with self.db.transaction():
            letter = await self._own(guild_id, letter_id)
            check_closable(letter, now)
            await self.store.close(letter_id, now, now)
            closed = await self.store.get(letter_id)
            tally = await self.signatures.tally(letter_id)
        assert closed is not None
        self.jobs.cancel(close_job_id(letter_id))
        closed, _ = await self._show(closed, tally)
        log.info("letter %d closed by %d", letter_id, actor.user_id)
        return Shown(closed, tally)

    async def export(self, guild_id: int, actor: Actor, letter: Letter) -> Export:
        await self.guilds.require_organiser(guild_id, actor)
        async with self.db.reading():
            tally = await self.signatures.tally(letter.id)
            signatures = await self.signatures.public(letter.id)
        return Export(letter, tally, signatures, self.clock())

    # --- closing by time -----------------------------------------------------------------

    async def close_due(self, letter_id: int) -> bool:
        """The closing job: close the letter if its time has come (a late or repeated run is
        harmless); True when this run closed it."""
        now = self.clock()
        async with self.db.transaction():
            letter = await self.store.get(letter_id)
            if letter is None or letter.closed_at is not None or letter.closes_at is None:
                return False
            if now < letter.closes_at:
                log.info("letter %d's closing job ran early; it closes later", letter_id)
                return False
            await self.store.close(letter_id, letter.closes_at, now)
        self._touch(letter)
        log.info("letter %d closed at its closing time", letter_id)
        return True

    async def plan_closings(self) -> int:
        """At start: a job for each letter still to close; letters whose time passed while
        the bot was down are closed now. Returns how many were closed now."""
        now = self.clock()
        async with self.db.reading():
            letters = await self.store.list_closing()
        closed = 0
        for letter in letters:
            assert letter.closes_at is not None
            if letter.closes_at <= now:
                closed += await self.close_due(letter.id)
            else:
                self._plan_close(letter)
        return closed

    def _plan_close(self, letter: Letter) -> None:
        job_id = close_job_id(letter.id)
        if letter.closes_at is None or letter.closed_at is not None:
            self.jobs.cancel(job_id)
        else:
            self.jobs.at(job_id, letter.closes_at, self.close_due, letter.id)

    # --- the post ------------------------------------------------------------------------

    def _touch(self, letter: Letter) -> None:
        self.posts.touch(POST_KIND, letter.id, letter.channel_id, letter.message_id)

    async def recent_posts(self) -> list[Letter]:
        """Letters whose post may still be read: open ones, and those closed in the last week."""
        async with self.db.reading():
            return await self.store.list_posted_since(self.clock() - RECENTLY_CLOSED)

    async def refresh_post(self, letter_id: int) -> None:
        """Re-render one letter's post from the database (the post updater calls this).

        A post deleted by hand stays deleted until the next /letter edit posts it again.
        """
        async with self.db.reading():
            letter = await self.store.get(letter_id)
            tally = await self.signatures.tally(letter_id)
        if letter is not None and letter.message_id is not None:
            await self.poster.refresh(letter, tally, self.clock())

    async def _show(self, letter: Letter, tally: Tally) -> tuple[Letter, bool]:
        """Bring the post in line with the stored letter; post it again if it was deleted."""
        now = self.clock()
        if letter.message_id is not None and await self.poster.refresh(letter, tally, now):
            return letter, False
        message_id = await self.poster.publish(letter, tally, now)
        try:
            async with self.db.transaction():
                await self.store.set_message(letter.id, message_id)
        except BaseException:  # no post left up that the database does not know
            await self.poster.withdraw(letter.channel_id, message_id)
            raise
        return replace(letter, message_id=message_id), True
