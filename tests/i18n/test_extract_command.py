"""`python -m bot.i18n.extract`: --check reports stale catalogues, a run brings them up to date."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import bot.i18n.extract as extract


@pytest.fixture
def locale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "locale"
    shutil.copytree(extract.LOCALE_DIR, copy)
    monkeypatch.setattr(extract, "LOCALE_DIR", copy)
    monkeypatch.setattr(extract, "POT_PATH", copy / "messages.pot")
    return copy


def test_the_repository_s_catalogues_are_up_to_date() -> None:
    assert extract.main(["--check"]) == 0


def test_a_stale_template_is_reported_then_rewritten(
    locale: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pot = locale / "messages.pot"
    pot.write_text(pot.read_text(encoding="utf-8").replace("#: bot/text.py ", "#: x "))
    assert extract.main(["--check"]) == 1
    assert "out of date" in capsys.readouterr().out
    assert extract.main([]) == 0
    assert extract.main(["--check"]) == 0


def test_a_new_sentence_is_merged_in_empty_and_listed_as_untranslated(
    locale: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(extract.text_module, "BRAND_NEW_SENTENCE", "A new sentence.", raising=False)
    assert extract.main([]) == 0
    out = capsys.readouterr().out
    assert "untranslated (cy): 'A new sentence.'" in out
    po = (locale / "cy" / "LC_MESSAGES" / "bot.po").read_text(encoding="utf-8")
    assert '#: bot/text.py BRAND_NEW_SENTENCE\nmsgid "A new sentence."\nmsgstr ""' in po
    assert 'msgstr "Llofnodi"' in po  # every other translation is kept
