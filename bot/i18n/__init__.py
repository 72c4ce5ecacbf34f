"""The bot's two languages: which one a reader gets, and the Welsh catalogue.

English is the source: every msgid is the English sentence of `bot/text.py` (see
`bot.i18n.extract`), so English needs no catalogue. Welsh comes from
`bot/locale/cy/LC_MESSAGES/bot.po`, read once at start with Babel.

- `Language` is a member's choice (`en`, `cy`); `Mode` a server's (`en`, `cy`,
  `bilingual`). `languages_for(member, mode)` is who reads what: a member's own choice,
  else the server's mode, bilingual being Welsh then English.
- `gettext(lang, msgid)` is the sentence in `lang`, unfilled; `translate(lang, msgid,
  **params)` fills it like `bot.text.fill` (a datetime `x` also fills `{x_full}` and
  `{x_rel}`); `ngettext(lang, singular, plural, n, **params)` picks the plural form by the
  catalogue's own `Plural-Forms` rule (Welsh: zero, one, two, few, many, other) and fills
  `{count}` with `n`.
- `both_lines(msgid, **params)` is Welsh, a line break, English: for embeds and messages;
  `both_inline(msgid, **params)` is "Cymraeg · English": for buttons, choices, titles. When
  the two are the same text it is given once.
- Speaking: who the bot is talking to is a `Voice` (their languages, the server's zone),
  set for an interaction's task by the rate gate (`set_voice`). Renderers call `tr(msgid,
  **params)` and `ntr(name, n, **params)`: the sentence in the language being spoken
  (`current()`). `each(build)` runs a renderer once per language of the voice (or of the
  languages given: a post in the server's mode) and `said(build)` joins the results, Welsh
  first; `label(msgid)` is a button's words in each language ("Llofnodi · Sign"). A
  datetime param `x` fills `{x_full}` with Discord's markup in English and with the date in
  Welsh words, in the voice's zone, in Welsh (Discord never renders a timestamp in Welsh).
- Fallback: a message with no Welsh (or a fuzzy one, or no catalogue at all) comes out in
  English, and the log says so once per message.
"""

from __future__ import annotations

import gettext as _gettext
import logging
from collections.abc import Callable, Sequence
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import TypeVar

from babel.messages.pofile import read_po

from bot.domain.languages import Language, Mode, Voice, languages_for
from bot.i18n.dates import welsh_date, welsh_datetime
from bot.i18n.plurals import PLURALS
from bot.text import fill

__all__ = [
    "BOTH_INLINE",
    "BOTH_LINES",
    "Catalogue",
    "Language",
    "Mode",
    "Voice",
    "bilingual",
    "both_inline",
    "both_lines",
    "current",
    "each",
    "fixed",
    "gettext",
    "in_languages",
    "inline",
    "label",
    "languages_for",
    "lines",
    "ngettext",
    "ntr",
    "pgettext",
    "said",
    "set_voice",
    "speaking",
    "tr",
    "translate",
    "voice",
    "welsh_date",
    "welsh_datetime",
]

log = logging.getLogger(__name__)

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "bot"
BOTH_LINES = "\n"  # between Welsh and English in embeds and messages
BOTH_INLINE = " · "  # between them on a button, a choice or a title


def _english_plural(n: int) -> int:
    return 0 if n == 1 else 1


@dataclass
class Catalogue:
    """One language's translations, by msgid; plural entries by (singular, plural)."""

    language: Language
    messages: dict[tuple[str | None, str], str] = field(default_factory=dict)  # by context
    plurals: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    plural: Callable[[int], int] = _english_plural
    nplurals: int = 2

    @classmethod
    def from_po(cls, language: Language, data: bytes) -> Catalogue:
        po = read_po(BytesIO(data), abort_invalid=True)
        catalogue = cls(language, nplurals=po.num_plurals)
        # The .po's own rule (a C expression), so the file and the bot agree on the forms.
        catalogue.plural = _gettext.c2py(po.plural_expr)
        for message in po:
            if not message.id or message.fuzzy:
                continue
            if isinstance(message.id, str):
                if message.string:
                    catalogue.messages[(message.context, message.id)] = str(message.string)
            else:
                strings = tuple(str(s) for s in message.string or ())
                if len(strings) == catalogue.nplurals and all(strings):
                    catalogue.plurals[(str(message.id[0]), str(message.id[1]))] = strings
        return catalogue

    @classmethod
    def path(cls, language: Language) -> Path:
        return LOCALE_DIR / language.value / "LC_MESSAGES" / f"{DOMAIN}.po"

    @classmethod
    def load(cls, language: Language) -> Catalogue:
        """The language's catalogue, read once (cached); English is the msgids themselves."""
        return _load(language)

    def get(self, msgid: str, context: str | None = None) -> str | None:
        return self.messages.get((context, msgid))

    def get_plural(self, singular: str, plural: str, n: int) -> str | None:
        forms = self.plurals.get((singular, plural))
        if forms is None:
            return None
        return forms[self.plural(n)]


@cache
def _load(language: Language) -> Catalogue:
    if language is Language.EN:
        return Catalogue(language)
    path = Catalogue.path(language)
    try:
        data = path.read_bytes()
    except OSError:
        log.warning("No %s catalogue at %s: every message will be in English", language, path)
        return Catalogue(language)
    return Catalogue.from_po(language, data)


_missing_logged: set[tuple[Language, str]] = set()


def _fallback(language: Language, msgid: str) -> None:
    if (language, msgid) not in _missing_logged:
        _missing_logged.add((language, msgid))
        log.warning("No %s translation, so English is used: %r", language.value, msgid[:80])


def gettext(language: Language, msgid: str) -> str:
    """The sentence in `language`, unfilled; English when it has no translation."""
    return pgettext(language, None, msgid)


def pgettext(language: Language, context: str | None, msgid: str) -> str:
    """Like `gettext`, for a msgid with a msgctxt (a CSV header's columns)."""
    if language is Language.EN:
        return msgid
    found = _load(language).messages.get((context, msgid))
    if found is None:
        _fallback(language, msgid)
        return msgid
    return found


def _dates(language: Language, template: str, params: dict[str, object]) -> dict[str, object]:
    """In Welsh, each datetime `x` fills `{x_full}` with Welsh words in the zone, not markup
    (worked out only for a sentence that states a date so)."""
    if language is not Language.CY or "_full}" not in template:
        return params
    dated = [
        (name, value)
        for name, value in params.items()
        if isinstance(value, datetime) and value.tzinfo is not None
    ]
    if not dated:
        return params
    tz = _VOICE.get().zone
    return {**params, **{f"{name}_full": welsh_datetime(value, tz) for name, value in dated}}


def _fill(language: Language, template: str, params: dict[str, object]) -> str:
    return fill(template, _dates(language, template, params))


def translate(language: Language, msgid: str, /, **params: object) -> str:
    """The sentence in `language`, filled with `params` like `bot.text.fill` (in Welsh a
    datetime's `{x_full}` is its date in words in the voice's zone)."""
    return _fill(language, pgettext(language, None, msgid), params)


def ngettext(language: Language, singular: str, plural: str, n: int, /, **params: object) -> str:
    """The count sentence for `n` in `language` (its plural rule), `{count}` filled with n."""
    template = None
    if language is not Language.EN:
        template = Catalogue.load(language).get_plural(singular, plural, n)
        if template is None:
            _fallback(language, singular)
    if template is None:
        template = singular if _english_plural(n) == 0 else plural
    return _fill(language, template, {"count": n, **params})


def lines(texts: Sequence[str]) -> str:
    """Texts in several languages, one under the other; a repeat is given once."""
    if len(texts) == 1:
        return texts[0]
    return BOTH_LINES.join(dict.fromkeys(texts))


def inline(texts: Sequence[str]) -> str:
    """Texts in several languages on one line ("Llofnodi · Sign"); a repeat given once."""
    if len(texts) == 1:
        return texts[0]
    return BOTH_INLINE.join(dict.fromkeys(texts))


def bilingual(msgid: str, /, **params: object) -> tuple[str, str]:
    """(Welsh, English) of one message, both filled."""
    return translate(Language.CY, msgid, **params), translate(Language.EN, msgid, **params)


def both_lines(msgid: str, /, **params: object) -> str:
    """Welsh, then English on the next line: for embeds and plain messages."""
    return lines(bilingual(msgid, **params))


def both_inline(msgid: str, /, **params: object) -> str:
    """ "Cymraeg · English" on one line: for buttons, choices and titles."""
    return inline(bilingual(msgid, **params))


def in_languages(languages: Sequence[Language], msgid: str, /, **params: object) -> str:
    """One message in each of `languages` (e.g. `languages_for(...)`), one under the other."""
    return lines([translate(language, msgid, **params) for language in languages])


# --- speaking: the language of what is being rendered now ---------------------------------


T = TypeVar("T")
_VOICE: ContextVar[Voice] = ContextVar("voice", default=Voice())  # noqa: B039 (frozen)
_SPEAKING: ContextVar[Language | None] = ContextVar("speaking", default=None)


def voice() -> Voice:
    return _VOICE.get()


def set_voice(value: Voice) -> Token[Voice]:
    """Speak to `value` for the rest of this task (an interaction's handler)."""
    return _VOICE.set(value)


class Speaking:
    """Inside the block, rendering is in `language` (and `zone`): see `speaking`."""

    __slots__ = ("_spoken", "_zoned", "language", "zone")

    def __init__(self, language: Language, zone: str | None) -> None:
        self.language, self.zone = language, zone

    def __enter__(self) -> None:
        self._spoken = _SPEAKING.set(self.language)
        self._zoned = _VOICE.set(Voice(_VOICE.get().languages, self.zone)) if self.zone else None

    def __exit__(self, *exc: object) -> None:
        if self._zoned is not None:
            _VOICE.reset(self._zoned)
        _SPEAKING.reset(self._spoken)


def speaking(language: Language, zone: str | None = None) -> Speaking:
    """Render in `language` (and `zone`) inside the block (a class, not a generator: every
    public post enters one per language)."""
    return Speaking(language, zone)


def current() -> Language:
    """The language being rendered: the one `speaking` set, else the voice's first."""
    return _SPEAKING.get() or _VOICE.get().languages[0]


def tr(msgid: str, /, **params: object) -> str:
    """`msgid` in the language being rendered, filled; with no params, as it is (a label, or
    a template filled later)."""
    if not params:
        return gettext(current(), msgid)
    return translate(current(), msgid, **params)


def ntr(name: str, n: int, /, **params: object) -> str:
    """The count sentence `name` of bot/i18n/plurals.py for `n`, in the current language."""
    singular, plural = PLURALS[name]
    return ngettext(current(), singular, plural, n, **params)


def each(build: Callable[[], T], languages: Sequence[Language] | None = None) -> list[T]:
    """`build()` once in each language (default the voice's), in order."""
    results = []
    for language in languages or _VOICE.get().languages:
        with speaking(language):
            results.append(build())
    return results


def said(build: Callable[[], str], languages: Sequence[Language] | None = None) -> str:
    """A text rendered in each language, one under the other (a repeat given once)."""
    return lines(each(build, languages))


def label(msgid: str, languages: Sequence[Language] | None = None, /, **params: object) -> str:
    """A button's or a choice's words in each language: "Llofnodi · Sign"."""
    return inline(each(lambda: tr(msgid, **params), languages))


@cache
def fixed(msgid: str, languages: tuple[Language, ...], between: str = BOTH_INLINE) -> str:
    """A text without params (a field's name, a legend) in each of `languages`, joined by
    `between` ("Pryd · When"), worked out once: the catalogues do not change while the bot
    runs, and every post says these."""
    return between.join(dict.fromkeys(gettext(language, msgid) for language in languages))
