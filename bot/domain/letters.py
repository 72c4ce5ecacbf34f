"""Open letters and their signatures: what they are, and the pure rules for signing,
counting, celebrating milestones, editing and closing."""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain.errors import UserError
from bot.domain.events import CLEAR, clean_block, clean_line
from bot.domain.organisations import clean_optional_organisation

# Lengths members may type. A letter's text fits Discord's modal limit (4000); the title
# leaves room in a 256-character embed title for a "CLOSED:" mark.
TITLE_MAX = 150
ADDRESSEE_MAX = 200
BODY_MAX = 4000
NAME_MAX = 80
ORGANISATION_MAX = 100
MILESTONE_DEFAULT = 25
MILESTONE_MAX = 1_000_000
SIGNATURES_PAGE_SIZE = 20
# The public web page lists this many signatories a page: whole /letter signatures pages,
# so page N on the web holds exactly that command's pages 25N to 25N + 24.
WEB_SIGNATURES_PAGE_SIZE = 25 * SIGNATURES_PAGE_SIZE
SLUG_BYTES = 16  # a letter page's address: 128 random bits


@dataclass(frozen=True)
class Letter:
    id: int
    guild_id: int
    title: str
    addressee: str
    body: str
    closes_at: datetime | None
    milestone: int
    celebrated: int  # the highest multiple of `milestone` celebrated so far (0: none)
    channel_id: int
    message_id: int | None
    closed_at: datetime | None
    body_changed_at: datetime | None  # set when the text changed after people had signed
    created_by: int
    created_at: datetime
    updated_at: datetime
    slug: str = ""  # the public page's unguessable address (migration 0017)
    web: bool = True  # whether the public page is up (/letter edit web)
    signatures_version: int = 0  # moves on with every change to its signatures (0017)
    title_cy: str | None = None  # the Welsh, when the organiser gave it (migration 0020)
    body_cy: str | None = None

    def is_closed(self, now: datetime) -> bool:
        """Closed by hand or by its job, or past its closing time (the job may be late)."""
        return self.closed_at is not None or (self.closes_at is not None and now >= self.closes_at)

    def closed_since(self, now: datetime) -> datetime | None:
        if self.closed_at is not None:
            return self.closed_at
        if self.closes_at is not None and now >= self.closes_at:
            return self.closes_at
        return None


@dataclass(frozen=True)
class LetterDraft:
    """A letter's own fields as an organiser gave them, checked and cleaned."""

    title: str
    addressee: str
    body: str
    closes_at: datetime | None = None
    milestone: int = MILESTONE_DEFAULT
    title_cy: str | None = None
    body_cy: str | None = None


@dataclass(frozen=True)
class LetterChanges:
    """What an edit changes; None leaves a field as it is. `clear_closes` removes the
    closing time (the letter then stays open until closed by hand); `CLEAR` ("-") as
    `title_cy` or `body_cy` removes the Welsh."""

    title: str | None = None
    addressee: str | None = None
    body: str | None = None
    closes_at: datetime | None = None
    clear_closes: bool = False
    milestone: int | None = None
    title_cy: str | None = None
    body_cy: str | None = None

    def is_empty(self) -> bool:
        return (
            self.title is None
            and self.addressee is None
            and self.body is None
            and self.closes_at is None
            and not self.clear_closes
            and self.milestone is None
            and self.title_cy is None
            and self.body_cy is None
        )


@dataclass(frozen=True)
class Signature:
    letter_id: int
    user_id: int
    name: str
    organisation: str | None
    public: bool
    signed_at: datetime
    updated_at: datetime
    organisation_cy: str | None = None  # the organisation record's Welsh name, if any


@dataclass(frozen=True)
class SignatureDraft:
    """A signature's details after merging what was typed with what was there before."""

    name: str
    organisation: str | None
    public: bool

    @property
    def organisation_key(self) -> str | None:
        return org_key(self.organisation)


@dataclass(frozen=True)
class Tally:
    signatures: int = 0
    organisations: int = 0
    listed: int = 0  # signatures whose names appear in public lists


def new_slug() -> str:
    """A new letter page's address: 128 random bits, URL-safe (22 characters)."""
    return secrets.token_urlsafe(SLUG_BYTES)


# --- cleaning what members type ------------------------------------------------------------


def org_key(organisation: str | None) -> str | None:
    """One key for the spellings of one organisation: compatibility forms folded, case
    folded, inner whitespace folded ("Cardiff  university" and "CARDIFF University")."""
    if organisation is None:
        return None
    folded = " ".join(unicodedata.normalize("NFKC", organisation).casefold().split())
    return folded or None


def clean_name(value: str | None) -> str | None:
    return clean_line(value, "name", NAME_MAX)


def clean_organisation(value: str | None) -> str | None:
    return clean_line(value, "organisation", ORGANISATION_MAX)


def check_milestone(milestone: int | None) -> int | None:
    if milestone is not None and not 1 <= milestone <= MILESTONE_MAX:
        raise UserError("letter_milestone_out_of_range", limit=MILESTONE_MAX)
    return milestone


def make_draft(
    *,
    title: str | None,
    addressee: str | None,
    body: str | None,
    closes_at: datetime | None = None,
    milestone: int | None = None,
    body_required: bool = True,
    title_cy: str | None = None,
    body_cy: str | None = None,
) -> LetterDraft:
    """A new letter's fields, cleaned. With `body_required=False` a missing text is allowed
    (the modal asks for it next) and the draft's body is empty."""
    clean_title = clean_line(title, "title", TITLE_MAX)
    if clean_title is None:
        raise UserError("letter_title_missing")
    clean_addressee = clean_line(addressee, "addressee", ADDRESSEE_MAX)
    if clean_addressee is None:
        raise UserError("letter_addressee_missing")
    clean_body = clean_block(body, "text of the letter", BODY_MAX)
    if clean_body is None and body_required:
        raise UserError("letter_body_missing")
    return LetterDraft(
        title=clean_title,
        addressee=clean_addressee,
        body=clean_body or "",
        closes_at=closes_at,
        milestone=check_milestone(milestone) or MILESTONE_DEFAULT,
        title_cy=clean_line(title_cy, "title_cy", TITLE_MAX),
        body_cy=clean_block(body_cy, "Welsh text of the letter", BODY_MAX),
    )


# --- signing ---------------------------------------------------------------------------------


def check_signable(letter: Letter, now: datetime) -> None:
    if letter.is_closed(now):
        raise UserError("letter_closed", title=letter.title)


def merge_signature(
    previous: Signature | None,
    *,
    name: str | None,
    organisation: str | None,
    public: bool | None,
) -> SignatureDraft:
    """The details a signature gets: typed fields win, blank ones keep their earlier value;
    an organisation of `-` removes it. A first signature needs a name."""
    clean = clean_name(name)
    if clean is None:
        if previous is None:
            raise UserError("letter_name_missing")
        clean = previous.name
    if organisation is not None and organisation.strip() == CLEAR:
        org = None
    else:
        org = clean_optional_organisation(organisation)
        if org is None and previous is not None:
            org = previous.organisation
    if public is None:
        public = previous.public if previous is not None else True
    return SignatureDraft(name=clean, organisation=org, public=public)


def milestone_reached(count: int, milestone: int, celebrated: int) -> int | None:
    """The multiple of `milestone` to celebrate now that there are `count` signatures, if
    the count has first crossed one: the highest multiple reached, only when it is above
    the highest already celebrated (so a withdraw and a re-sign never celebrate twice)."""
    if milestone < 1 or count < milestone:
        return None
    reached = count // milestone * milestone
    return reached if reached > celebrated else None


def rebased_celebrated(count: int, milestone: int, celebrated: int) -> int:
    """After the milestone step changes, multiples already passed are not celebrated late."""
    return max(celebrated, count // milestone * milestone)


# --- editing and closing ---------------------------------------------------------------------


def apply_changes(letter: Letter, changes: LetterChanges) -> LetterDraft:
    """The letter's fields after an edit; refuses an edit that gives nothing to change."""
    if changes.is_empty():
        raise UserError("edit_nothing")
    title = clean_line(changes.title, "title", TITLE_MAX) or letter.title
    addressee = clean_line(changes.addressee, "addressee", ADDRESSEE_MAX) or letter.addressee
    body = clean_block(changes.body, "text of the letter", BODY_MAX) or letter.body
    closes_at = letter.closes_at
    if changes.clear_closes:
        closes_at = None
    elif changes.closes_at is not None:
        closes_at = changes.closes_at
    milestone = check_milestone(changes.milestone) or letter.milestone
    title_cy = _welsh(
        changes.title_cy, letter.title_cy, lambda v: clean_line(v, "title_cy", TITLE_MAX)
    )
    body_cy = _welsh(
        changes.body_cy,
        letter.body_cy,
        lambda v: clean_block(v, "Welsh text of the letter", BODY_MAX),
    )
    return LetterDraft(title, addressee, body, closes_at, milestone, title_cy, body_cy)


def _welsh(
    value: str | None, current: str | None, clean: Callable[[str], str | None]
) -> str | None:
    """A Welsh field after an edit: None keeps it, `CLEAR` ("-") removes it."""
    if value is None:
        return current
    if value.strip() == CLEAR:
        return None
    return clean(value) or current


def what_changed(letter: Letter, draft: LetterDraft) -> tuple[str, ...]:
    """Names of the fields an edit really changes, in a stable order."""
    pairs = {
        "title": (letter.title, draft.title),
        "addressee": (letter.addressee, draft.addressee),
        "body": (letter.body, draft.body),
        "closes": (letter.closes_at, draft.closes_at),
        "milestone": (letter.milestone, draft.milestone),
        "title_cy": (letter.title_cy, draft.title_cy),
        "body_cy": (letter.body_cy, draft.body_cy),
    }
    return tuple(name for name, (before, after) in pairs.items() if before != after)


def reopens(letter: Letter, draft: LetterDraft, now: datetime) -> bool:
    """Moving `closes` into the future reopens a closed letter."""
    return (
        letter.is_closed(now)
        and draft.closes_at is not None
        and draft.closes_at != letter.closes_at
        and draft.closes_at > now
    )


def check_closable(letter: Letter, now: datetime) -> None:
    if letter.is_closed(now):
        raise UserError("letter_closed_already", title=letter.title)


# --- lists -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationGroup:
    organisation: str | None  # None: people signing for themselves
    signatures: tuple[Signature, ...]
    welsh: str | None = None  # the organisation record's Welsh name, if it has one

    def shown(self, language: str) -> str | None:
        """The organisation as a reader sees it: its Welsh name in Welsh where there is one."""
        return self.welsh if language == "cy" and self.welsh else self.organisation


def group_by_organisation(signatures: Iterable[Signature]) -> list[OrganisationGroup]:
    """Signatures grouped by organisation, spelling variants as one (shown as the spelling
    most signatories used, the earliest on a tie); groups and names in alphabetical order,
    people without an organisation last."""
    groups: dict[str | None, list[Signature]] = {}
    for signature in signatures:
        groups.setdefault(org_key(signature.organisation), []).append(signature)
    result = []
    for key, members in groups.items():
        shown = None if key is None else _most_used_spelling(members)
        ordered = tuple(sorted(members, key=lambda s: (s.name.casefold(), s.signed_at)))
        welsh = next((s.organisation_cy for s in members if s.organisation_cy), None)
        result.append(OrganisationGroup(shown, ordered, welsh))
    result.sort(key=lambda g: (g.organisation is None, (g.organisation or "").casefold()))
    return result


def _most_used_spelling(members: Sequence[Signature]) -> str:
    counts: dict[str, int] = {}
    for signature in sorted(members, key=lambda s: s.signed_at):
        assert signature.organisation is not None
        counts[signature.organisation] = counts.get(signature.organisation, 0) + 1
    return max(counts, key=lambda spelling: counts[spelling])  # first-seen wins a tie


def distinct_organisations(names: Iterable[str]) -> list[str]:
    """Organisation names with spelling variants shown once (the first given of each)."""
    seen: dict[str, str] = {}
    for name in names:
        key = org_key(name)
        if key is not None and key not in seen:
            seen[key] = " ".join(name.split())
    return list(seen.values())
