"""Custom-id codecs: what a persistent button or form carries in its `custom_id`, written
and read by pure functions (each pattern is also the `DynamicItem` template that routes
clicks back), so any running bot can answer a component made before its restart."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.events import Kind, Region

# --- events ----------------------------------------------------------------------------------

CALENDAR_BUTTON_ID = "ev:ics"  # one id for every post: the click's message names the event

LIST_PAGE_ID = re.compile(
    r"ev:list:(?P<scope>up|past):(?P<page>\d{1,6}):(?P<region>[A-Z]+|-):(?P<kind>[A-Z]+|-)"
)


@dataclass(frozen=True)
class ListPage:
    past: bool
    page: int
    region: Region | None
    kind: Kind | None


def encode_list_page(target: ListPage) -> str:
    return (
        f"ev:list:{'past' if target.past else 'up'}:{target.page}:"
        f"{target.region.name if target.region else '-'}:{target.kind.name if target.kind else '-'}"
    )


def decode_list_page(custom_id: str) -> ListPage | None:
    match = LIST_PAGE_ID.fullmatch(custom_id)
    if match is None:
        return None
    region, kind = match["region"], match["kind"]
    if (region != "-" and region not in Region.__members__) or (
        kind != "-" and kind not in Kind.__members__
    ):
        return None
    return ListPage(
        past=match["scope"] == "past",
        page=int(match["page"]),
        region=Region[region] if region != "-" else None,
        kind=Kind[kind] if kind != "-" else None,
    )


# --- letters ---------------------------------------------------------------------------------

SIGN_ID = re.compile(r"letter:sign:(?P<id>[1-9]\d{0,18})")
SIGNATURES_PAGE_ID = re.compile(r"letter:sigs:(?P<id>[1-9]\d{0,18}):(?P<page>\d{1,6})")
SIGN_FORM_ID = re.compile(r"letter:signform:(?P<id>[1-9]\d{0,18})(?::(?P<public>[01]))?")


def encode_sign(letter_id: int) -> str:
    return f"letter:sign:{letter_id}"


def decode_sign(custom_id: str) -> int | None:
    match = SIGN_ID.fullmatch(custom_id)
    return int(match["id"]) if match else None


@dataclass(frozen=True)
class SignForm:
    """What a sign form's custom_id carries, so any running bot can answer its submission:
    the letter, and the `public` choice given to /letter sign (None: keep or default)."""

    letter_id: int
    public: bool | None = None


def encode_sign_form(form: SignForm) -> str:
    flag = "" if form.public is None else f":{int(form.public)}"
    return f"letter:signform:{form.letter_id}{flag}"


def decode_sign_form(custom_id: str) -> SignForm | None:
    match = SIGN_FORM_ID.fullmatch(custom_id)
    if match is None:
        return None
    public = match["public"]
    return SignForm(int(match["id"]), None if public is None else public == "1")


@dataclass(frozen=True)
class SignaturesPage:
    letter_id: int
    page: int


def encode_signatures_page(target: SignaturesPage) -> str:
    return f"letter:sigs:{target.letter_id}:{target.page}"


def decode_signatures_page(custom_id: str) -> SignaturesPage | None:
    match = SIGNATURES_PAGE_ID.fullmatch(custom_id)
    if match is None:
        return None
    return SignaturesPage(int(match["id"]), int(match["page"]))


# --- date polls ------------------------------------------------------------------------------

POLL_OPTION_ID = re.compile(r"poll:opt:(?P<id>[1-9]\d{0,18}):(?P<position>10|[1-9])")
POLL_ANNOUNCE_ID = re.compile(r"poll:announce:(?P<id>[1-9]\d{0,18})")


@dataclass(frozen=True)
class PollOptionPress:
    """What a poll's option button carries: the poll and the option's position (1-based)."""

    poll_id: int
    position: int


def encode_poll_option(target: PollOptionPress) -> str:
    return f"poll:opt:{target.poll_id}:{target.position}"


def decode_poll_option(custom_id: str) -> PollOptionPress | None:
    match = POLL_OPTION_ID.fullmatch(custom_id)
    return PollOptionPress(int(match["id"]), int(match["position"])) if match else None


def encode_poll_announce(poll_id: int) -> str:
    return f"poll:announce:{poll_id}"


def decode_poll_announce(custom_id: str) -> int | None:
    match = POLL_ANNOUNCE_ID.fullmatch(custom_id)
    return int(match["id"]) if match else None


# --- attendance and notes --------------------------------------------------------------------

ATTEND_ID = re.compile(r"ev:here:(?P<id>[1-9]\d{0,18})")
SHEET_SELECT_ID = re.compile(r"ev:atts:(?P<id>[1-9]\d{0,18}):(?P<page>\d{1,6})")
SHEET_PAGE_ID = re.compile(r"ev:attp:(?P<id>[1-9]\d{0,18}):(?P<page>\d{1,6})")
NOTES_FORM_ID = re.compile(r"ev:notes:(?P<id>[1-9]\d{0,18})")


@dataclass(frozen=True)
class SheetPage:
    """A page of an organiser's attendance sheet: the event and the page (0-based)."""

    event_id: int
    page: int


def encode_attend(event_id: int) -> str:
    return f"ev:here:{event_id}"


def decode_attend(custom_id: str) -> int | None:
    match = ATTEND_ID.fullmatch(custom_id)
    return int(match["id"]) if match else None


def encode_sheet_select(target: SheetPage) -> str:
    return f"ev:atts:{target.event_id}:{target.page}"


def decode_sheet_select(custom_id: str) -> SheetPage | None:
    match = SHEET_SELECT_ID.fullmatch(custom_id)
    return SheetPage(int(match["id"]), int(match["page"])) if match else None


def encode_sheet_page(target: SheetPage) -> str:
    return f"ev:attp:{target.event_id}:{target.page}"


def decode_sheet_page(custom_id: str) -> SheetPage | None:
    match = SHEET_PAGE_ID.fullmatch(custom_id)
    return SheetPage(int(match["id"]), int(match["page"])) if match else None


def encode_notes_form(event_id: int) -> str:
    return f"ev:notes:{event_id}"


def decode_notes_form(custom_id: str) -> int | None:
    match = NOTES_FORM_ID.fullmatch(custom_id)
    return int(match["id"]) if match else None


# --- organisations and the welcome panel -------------------------------------------------------

ORGANISATIONS_PAGE_ID = re.compile(r"net:orgs:(?P<page>[1-9]\d{0,5})")
WELCOME_ACTIONS = ("cy", "en", "join", "ping", "feed")
WELCOME_ID = re.compile(r"welcome:(?P<action>cy|en|join|ping|feed)")
WELCOME_JOIN_FORM_ID = "welcome:joinform"  # the join form's submission (no state: the member's)


def encode_organisations_page(target: int) -> str:
    return f"net:orgs:{target}"


def decode_organisations_page(custom_id: str) -> int | None:
    match = ORGANISATIONS_PAGE_ID.fullmatch(custom_id)
    return int(match["page"]) if match else None


def encode_welcome(action: str) -> str:
    if action not in WELCOME_ACTIONS:
        raise ValueError(f"no welcome button {action!r}")
    return f"welcome:{action}"


def decode_welcome(custom_id: str) -> str | None:
    match = WELCOME_ID.fullmatch(custom_id)
    return match["action"] if match else None
