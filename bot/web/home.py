"""`/`: a one-paragraph page saying what this server is (the addresses come from the bot)."""

from __future__ import annotations

from aiohttp import web

from bot.web.app import WebContext
from bot.web.templating import render_html

HEADING = "Co-pro Network Wales"
ABOUT = (
    "This is the network's Discord bot. It serves calendar feeds and the pages of open "
    "letters; their addresses come from the bot (/events subscribe, /letter info)."
)


def add_routes(routes: web.RouteTableDef, context: WebContext) -> None:
    @routes.get("/")
    async def home(request: web.Request) -> web.StreamResponse:
        return render_html(
            request,
            "home.html",
            lang="en",
            heading=HEADING,
            about=ABOUT,
            headers={"Cache-Control": "public, max-age=3600"},
        )
