"""A member who chose Welsh meets no English in what the bot says to them alone: every
refusal (ERRORS) and every DM (NOTICES), filled, comes out in Welsh, with the date in Welsh
words, and a bilingual reader gets Welsh first, then English."""

from __future__ import annotations

import string
from datetime import UTC, datetime

import pytest

from bot import text
from bot.adapters.notify import render_notice
from bot.domain.notices import Notice
from bot.i18n import Catalogue, Language, Voice, speaking, translate, welsh_datetime

AT = datetime(2026, 10, 25, 17, 30, tzinfo=UTC)  # formatted only; the day the clocks go back
ZONE = "Europe/London"


def sample_params(template: str) -> dict[str, object]:
    """A value for every placeholder: a datetime for `x` behind `{x_full}`/`{x_rel}`."""
    params: dict[str, object] = {}
    for _, name, _, _ in string.Formatter().parse(template):
        if not name:
            continue
        for suffix in ("_full", "_rel"):
            if name.endswith(suffix):
                params[name.removesuffix(suffix)] = AT
                break
        else:
            params[name] = 7
    return params


@pytest.mark.parametrize(
    ("table", "key"),
    [("ERRORS", key) for key in text.ERRORS] + [("NOTICES", key) for key in text.NOTICES],
)
def test_every_refusal_and_dm_is_in_welsh(table: str, key: str) -> None:
    template = getattr(text, table)[key]
    assert Catalogue.load(Language.CY).get(template), f"{table}[{key}] has no Welsh"
    params = sample_params(template)
    with speaking(Language.CY, ZONE):
        welsh = translate(Language.CY, template, **params)
    english = translate(Language.EN, template, **params)
    assert welsh != english, f"{table}[{key}] reads the same in Welsh: {welsh!r}"
    if f"<t:{int(AT.timestamp())}:F>" in english:  # a date in full: in words in Welsh
        assert welsh_datetime(AT, ZONE) in welsh
        assert ":F>" not in welsh


def test_a_dm_for_a_bilingual_reader_is_welsh_then_english_with_the_welsh_title() -> None:
    notice = Notice(
        5, "rsvp_promoted", {"title": "Policy Cafe", "title_cy": "Caffi Polisi", "at": AT}
    )
    shown = render_notice(notice, Voice((Language.CY, Language.EN), ZONE))
    welsh, english = shown.split("\n")
    assert "Caffi Polisi" in welsh and "Policy Cafe" not in welsh
    assert "Dydd Sul, 25 Hydref 2026 am 17:30" in welsh  # GMT again that evening
    assert "Policy Cafe" in english and f"<t:{int(AT.timestamp())}:F>" in english
    assert render_notice(notice) == english  # nobody's choice known: English
