"""`/`: a one-paragraph page saying what this server is (the addresses come from the bot)."""

from __future__ import annotations

from aiohttp import web

from bot import text
from bot.web.app import WebContext
from bot.web.templating import render_html


def add_routes(routes: web.RouteTableDef, context: WebContext) -> None:
    @routes.get("/")
    async def home(request: web.Request) -> web.StreamResponse:
        return render_html(
            request,
            "home.html",
            lang="en",
            heading=text.WEB_HOME["heading"],
            about=text.WEB_HOME["about"],
            headers={"Cache-Control": "public, max-age=3600"},
        )
