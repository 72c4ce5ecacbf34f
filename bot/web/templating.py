"""HTML pages from Jinja2 templates, autoescaped: member text can never become markup.

`base.html` gives every page `<html lang="{{ lang }}">`, the `<header>`/`<main>`/`<footer>`
landmarks, the one `<h1>` and the one stylesheet; no script anywhere. `lang` is a parameter of
every page from the start ("en" now, "cy" for Welsh pages).
"""

from __future__ import annotations

from typing import Any

import jinja2
from aiohttp import web

from bot.web.app import STYLESHEET

LANGUAGES = ("en", "cy")

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
    return ENVIRONMENT.get_template(template).render(lang=lang, stylesheet=STYLESHEET, **values)


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
