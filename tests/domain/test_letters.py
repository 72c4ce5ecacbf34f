"""Open letters' pure rules: organisations as one, milestones once, signing, editing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.errors import UserError
from bot.domain.letters import (
    MILESTONE_DEFAULT,
    NAME_MAX,
    ORGANISATION_MAX,
    Letter,
    LetterChanges,
    Signature,
    apply_changes,
    check_signable,
    distinct_organisations,
    group_by_organisation,
    make_draft,
    merge_signature,
    milestone_reached,
    org_key,
    rebased_celebrated,
    reopens,
    what_changed,
)
from tests.support.letters import BODY, TITLE
from tests.support.letters import make_letter as letter_at

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def make_letter(**changes: object) -> Letter:
    return letter_at(NOW, **changes)


def signature(name: str, organisation: str | None, minutes: int = 0, **more: object) -> Signature:
    fields: dict[str, object] = dict(
        letter_id=7,
        user_id=100 + minutes,
        name=name,
        organisation=organisation,
        public=True,
        signed_at=NOW + timedelta(minutes=minutes),
        updated_at=NOW + timedelta(minutes=minutes),
    )
    fields.update(more)
    return Signature(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Cardiff University", "cardiff university"),
        ("Cardiff University", "  Cardiff   University "),
        ("CARDIFF UNIVERSITY", "Cardiff\tUniversity"),
        ("Swansea County Council", "swansea county  council"),
        ("Straße Trust", "STRASSE TRUST"),  # casefold, not lower
        ("Ｐatchwork Circles", "Patchwork Circles"),  # full-width letters folded (NFKC)
    ],
)
def test_spelling_variants_of_one_organisation_share_a_key(a: str, b: str) -> None:
    assert org_key(a) == org_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Monmouth County Council", "Monmouthshire County Council"),
        ("United Welsh Housing", "United Welsh"),
    ],
)
def test_different_organisations_keep_different_keys(a: str, b: str) -> None:
    assert org_key(a) != org_key(b)


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_no_organisation_has_no_key(blank: str | None) -> None:
    assert org_key(blank) is None


@pytest.mark.parametrize(
    ("count", "milestone", "celebrated", "expected"),
    [
        (24, 25, 0, None),  # not there yet
        (25, 25, 0, 25),  # first crossing
        (26, 25, 25, None),  # already celebrated
        (25, 25, 25, None),  # back to 25 after a withdraw and a re-sign: not again
        (50, 25, 25, 50),  # the next multiple
        (130, 25, 100, 125),  # the seed's 130 signatures: 125 is the one to celebrate
        (49, 25, 25, None),
        (1, 1, 0, 1),  # a milestone of 1 celebrates every new high
        (3, 1, 3, None),
        (0, 25, 0, None),
        (100, 10, 130, None),  # a lower count after the step changed: nothing
    ],
)
def test_milestone_crossing(count: int, milestone: int, celebrated: int, expected: int) -> None:
    assert milestone_reached(count, milestone, celebrated) == expected


@pytest.mark.parametrize(
    ("count", "milestone", "celebrated", "expected"),
    [
        (130, 10, 125, 130),  # a smaller step: 130 is passed already, not celebrated late
        (130, 100, 125, 125),  # a bigger step: keep what was celebrated
        (12, 5, 0, 10),
        (0, 25, 0, 0),
    ],
)
def test_changing_the_step_never_celebrates_the_past(
    count: int, milestone: int, celebrated: int, expected: int
) -> None:
    assert rebased_celebrated(count, milestone, celebrated) == expected


def test_draft_cleans_and_defaults() -> None:
    draft = make_draft(
        title="  Open Letter   to the First Minister ",
        addressee="The First Minister",
        body="Dear First Minister,\r\n\r\n\r\n  We ask …  \n",
    )
    assert draft.title == TITLE
    assert draft.body == "Dear First Minister,\n\nWe ask …"
    assert draft.milestone == MILESTONE_DEFAULT
    assert draft.closes_at is None


@pytest.mark.parametrize(
    ("options", "key"),
    [
        ({"title": " ", "addressee": "x", "body": "x"}, "letter_title_missing"),
        ({"title": "x", "addressee": None, "body": "x"}, "letter_addressee_missing"),
        ({"title": "x", "addressee": "x", "body": "  "}, "letter_body_missing"),
        ({"title": "x" * 151, "addressee": "x", "body": "x"}, "too_long"),
        ({"title": "x", "addressee": "x" * 201, "body": "x"}, "too_long"),
        ({"title": "x", "addressee": "x", "body": "x" * 4001}, "too_long"),
        (
            {"title": "x", "addressee": "x", "body": "x", "milestone": 0},
            "letter_milestone_out_of_range",
        ),
    ],
)
def test_draft_refusals(options: dict[str, object], key: str) -> None:
    with pytest.raises(UserError) as caught:
        make_draft(**options)  # type: ignore[arg-type]
    assert caught.value.key == key


def test_draft_without_body_is_allowed_before_the_form() -> None:
    assert make_draft(title="x", addressee="y", body=None, body_required=False).body == ""


def test_first_signature_needs_a_name() -> None:
    with pytest.raises(UserError) as caught:
        merge_signature(None, name="  ", organisation="Cardiff University", public=None)
    assert caught.value.key == "letter_name_missing"


def test_signing_again_keeps_blank_fields() -> None:
    before = signature("Rhian Evans", "Cardiff University", public=False)
    same = merge_signature(before, name=None, organisation=None, public=None)
    assert (same.name, same.organisation, same.public) == (
        "Rhian Evans",
        "Cardiff University",
        False,
    )
    moved = merge_signature(before, name=None, organisation="Swansea County Council", public=True)
    assert (moved.name, moved.organisation, moved.public) == (
        "Rhian Evans",
        "Swansea County Council",
        True,
    )
    cleared = merge_signature(before, name="Dr Rhian Evans", organisation=" - ", public=None)
    assert (cleared.name, cleared.organisation) == ("Dr Rhian Evans", None)


@pytest.mark.parametrize(
    ("name", "organisation", "field"),
    [("x" * (NAME_MAX + 1), None, "name"), ("Rhian", "x" * (ORGANISATION_MAX + 1), "organisation")],
)
def test_signature_lengths_are_checked(name: str, organisation: str | None, field: str) -> None:
    with pytest.raises(UserError) as caught:
        merge_signature(None, name=name, organisation=organisation, public=None)
    assert caught.value.key == "too_long" and caught.value.params["field"] == field


def test_signature_text_is_trimmed_and_folded() -> None:
    draft = merge_signature(
        None,
        name="  Dafydd \n Jones ",
        organisation=" Voluntary  Action Merthyr Tydfil ",
        public=None,
    )
    assert draft.name == "Dafydd Jones"
    assert draft.organisation == "Voluntary Action Merthyr Tydfil"
    assert draft.organisation_key == "voluntary action merthyr tydfil"
    assert draft.public is True


@pytest.mark.parametrize(
    ("changes", "now", "closed"),
    [
        ({}, NOW, False),
        ({"closed_at": NOW - timedelta(hours=1)}, NOW, True),
        ({"closes_at": NOW}, NOW, True),  # its time has come even before the job runs
        ({"closes_at": None}, NOW + timedelta(days=999), False),
    ],
)
def test_closed_by_hand_or_by_time(changes: dict[str, object], now: datetime, closed: bool) -> None:
    letter = make_letter(**changes)
    assert letter.is_closed(now) is closed
    if closed:
        with pytest.raises(UserError) as caught:
            check_signable(letter, now)
        assert caught.value.key == "letter_closed"
    else:
        check_signable(letter, now)


def test_edit_changes_and_reopening() -> None:
    closed = make_letter(closes_at=NOW - timedelta(days=1), closed_at=NOW - timedelta(days=1))
    later = NOW + timedelta(days=7)
    draft = apply_changes(closed, LetterChanges(closes_at=later))
    assert what_changed(closed, draft) == ("closes",)
    assert reopens(closed, draft, NOW)
    draft = apply_changes(closed, LetterChanges(title="A new title"))
    assert not reopens(closed, draft, NOW)
    cleared = apply_changes(make_letter(), LetterChanges(clear_closes=True))
    assert cleared.closes_at is None
    same = apply_changes(make_letter(), LetterChanges(body=BODY, milestone=25))
    assert what_changed(make_letter(), same) == ()
    with pytest.raises(UserError) as caught:
        apply_changes(make_letter(), LetterChanges())
    assert caught.value.key == "edit_nothing"


def test_grouping_by_organisation_for_delivery() -> None:
    signatures = [
        signature("Sian", "Cardiff University", 0),
        signature("Aled", "cardiff  university", 1),
        signature("Bethan", "CARDIFF UNIVERSITY", 2),
        signature("Owain", None, 3),
        signature("Carys", "Patchwork Circles", 4),
        signature("alun", "Cardiff university", 5),
    ]
    groups = group_by_organisation(signatures)
    assert [g.organisation for g in groups] == ["Cardiff University", "Patchwork Circles", None]
    assert [s.name for s in groups[0].signatures] == ["Aled", "alun", "Bethan", "Sian"]
    assert [s.name for s in groups[2].signatures] == ["Owain"]


def test_most_used_spelling_names_the_group() -> None:
    signatures = [
        signature("A", "united welsh housing", 0),
        signature("B", "United Welsh Housing", 1),
        signature("C", "United Welsh Housing", 2),
    ]
    [group] = group_by_organisation(signatures)
    assert group.organisation == "United Welsh Housing"


def test_distinct_organisations_show_variants_once() -> None:
    names = [
        "Cardiff University",
        "cardiff university",
        "Monmouth County Council",
        "CARDIFF  UNIVERSITY",
    ]
    assert distinct_organisations(names) == ["Cardiff University", "Monmouth County Council"]
