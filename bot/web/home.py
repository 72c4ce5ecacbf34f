"""`/`: a one-paragraph page saying what this server is (the addresses come from the bot),
in the language asked for (`?lang=`) or the browser's, else Welsh (bot.domain.page_language),
with a link to the other."""

from __future__ import annotations

from aiohttp import web

from bot import text
from bot.domain.page_language import page_language
from bot.i18n import speaking, tr
from bot.web.app import WebContext
from bot.web.templating import language_links, render_html


def add_routes(routes: web.RouteTableDef, context: WebContext) -> None:
    @routes.get("/")
    async def home(request: web.Request) -> web.StreamResponse:
        lang = page_language(
            request.query.get("lang"), request.headers.get("Accept-Language"), None
        )
        with speaking(lang):
            heading, about = tr(text.WEB_HOME["heading"]), tr(text.WEB_HOME["about"])
            languages = language_links(lambda other: f"/?lang={other.value}")
        return render_html(
            request,
            "home.html",
            lang=lang.value,
            heading=heading,
            about=about,
            languages=languages,
            headers={
                "Cache-Control": "public, max-age=3600",
                "Content-Language": lang.value,
                "Vary": "Accept-Language",
            },
        )
