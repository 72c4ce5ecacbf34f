"""HTML pages from Jinja2 templates, autoescaped: member text can never become markup.

`base.html` gives every page `<html lang="{{ lang }}">`, the `<header>`/`<main>`/`<footer>`
landmarks, the one `<h1>` and the one stylesheet; no script anywhere. `lang` is the page's
language ("cy" or "en", bot.domain.page_language): the frame's words are in it, and
`languages` (from `language_links`) links to the same page in the other language, named in
its own words ("English", "Cymraeg") with `hreflang`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jinja2
from aiohttp import web

from bot import text
from bot.i18n import Language, current, speaking, tr
from bot.web.app import STYLESHEET

LANGUAGES = ("en", "cy")
# Each language by its own name, on the link to it: a reader of either finds theirs.
OWN_NAMES = {Language.CY: "Cymraeg", Language.EN: "English"}


def language_links(link_of: Callable[[Language], str]) -> list[dict[str, str]]:
    """Links to the page in the languages other than the one being rendered."""
    return [
        {"lang": other.value, "name": OWN_NAMES[other], "href": link_of(other)}
        for other in (Language.CY, Language.EN)
        if other is not current()
    ]


ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("bot.web", "templates"),
    autoescape=True,  # every template, whatever its name
    undefined=jinja2.StrictUndefined,  # a missing value is a bug, not an empty string
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_text(template: str, *, lang: str = "en", **values: Any) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown page language {lang!r}")
    with speaking(Language(lang)):
        site = {key: tr(sentence) for key, sentence in text.WEB_SITE.items()}
        values.setdefault("languages", [])
        return ENVIRONMENT.get_template(template).render(
            lang=lang, stylesheet=STYLESHEET, site=site, **values
        )


def render_html(
    request: web.Request,
    template: str,
    *,
    lang: str = "en",
    status: int = 200,
    headers: dict[str, str] | None = None,
    **values: Any,
) -> web.Response:
    """The page as an HTML response (HEAD gets the same headers and no body)."""
    return web.Response(
        status=status,
        text=render_text(template, lang=lang, **values),
        content_type="text/html",
        charset="utf-8",
        headers=headers,
    )
