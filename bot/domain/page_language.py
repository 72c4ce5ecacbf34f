"""Which language a web page is in (bot/web: the letter pages and the front page).

1. `?lang=cy` or `?lang=en` (the page's own language links) wins;
2. else a server in `cy` or `en` gives its pages in that language;
3. else (a bilingual server, or a page of no server) the reader's browser decides: the
   first of Welsh and English its `Accept-Language` prefers;
4. else Welsh (bilingual means Welsh first). Every page links to the other language.
"""

from __future__ import annotations

from bot.domain.languages import Language, Mode

QUALITY_MAX = 8  # of an Accept-Language header's entries, the most read (the rest ignored)


def asked_language(value: str | None) -> Language | None:
    """`?lang=`'s language: `cy` or `en` (any case); None for anything else."""
    if value is None or not value.isascii():
        return None
    key = value.strip().lower()
    return Language(key) if key in ("cy", "en") else None


def browser_language(header: str | None) -> Language | None:
    """The first of Welsh and English an `Accept-Language` header prefers ("cy-GB,
    en;q=0.8" is Welsh); None when it names neither (or only with q=0)."""
    best: tuple[float, int, Language] | None = None
    for index, entry in enumerate((header or "").split(",")[: QUALITY_MAX * 4]):
        tag, _, params = entry.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in ("cy", "en"):
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if not 0 < quality <= 1:
            continue
        candidate = (-quality, index, Language(primary))
        if best is None or candidate < best:
            best = candidate
    return None if best is None else best[2]


def page_language(asked: str | None, accept: str | None, mode: Mode | None) -> Language:
    """The page's language: asked for, else the server's (cy or en), else the browser's,
    else Welsh."""
    chosen = asked_language(asked)
    if chosen is not None:
        return chosen
    if mode is Mode.CY:
        return Language.CY
    if mode is Mode.EN:
        return Language.EN
    return browser_language(accept) or Language.CY
