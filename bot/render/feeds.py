"""Calendar feeds: their addresses, their names, and /events subscribe's answer."""

from __future__ import annotations

from bot import text
from bot.domain.events import Region
from bot.i18n import ntr, tr
from bot.render.common import region_name

FEED_PATH = "/feeds/{token}.ics"


def feed_url(public_url: str, token: str) -> str:
    """`{PUBLIC_URL}/feeds/{token}.ics` (PUBLIC_URL has no trailing slash)."""
    return public_url.rstrip("/") + FEED_PATH.format(token=token)


def webcal_url(url: str) -> str:
    """The same address as `webcal://…`, which calendar apps open as a subscription."""
    _, rest = url.split("://", 1)
    return "webcal://" + rest


def feed_name(mine: bool, region: Region | None) -> str:
    """The calendar's name in calendar apps (X-WR-CALNAME)."""
    name = tr(text.FEED_NAME_MINE) if mine else tr(text.CALENDAR_NAME)
    return tr(text.FEED_NAME_REGION, name=name, region=region_name(region)) if region else name


def subscribe_reply(url: str, *, mine: bool, region: Region | None, retired: int) -> str:
    narrowed = tr(text.SUBSCRIBE_REGION, region=region_name(region)) if region else ""
    what = (tr(text.SUBSCRIBE_MINE) if mine else tr(text.SUBSCRIBE_SERVER)).format(
        narrowed=narrowed
    )
    reply = tr(text.SUBSCRIBE_HOW, what=what, url=url, webcal=webcal_url(url))
    if retired == 1:
        reply += "\n" + tr(text.SUBSCRIBE_RESET)
    elif retired > 1:
        reply += "\n" + ntr("SUBSCRIBE_RESET_MANY", retired)
    return reply
