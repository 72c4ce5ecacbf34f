"""A letter's public page in the running bot, through the local Discord: the post carries a
link button to the page and /letter info shows the link when the web is on;
`/letter edit web:False` takes the page down (404, no button, no link) and `web:True` puts
it back at the same address. With the web off nothing changes on the post."""

from __future__ import annotations

import re
import socket
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import aiohttp
import pytest

from bot import text
from tests.e2e.conftest import CoproWorld
from tests.fakediscord import Driver
from tests.fakediscord.models import Message
from tests.support.dates import at_local, typed

PUBLIC_URL = "https://letters.example.org"
PAGE_URL = re.compile(re.escape(PUBLIC_URL) + r"/letters/([A-Za-z0-9_-]{22})")
StartBot = Callable[..., AbstractAsyncContextManager[Any]]
LETTER = {
    "title": "Open Letter to the First Minister",
    "addressee": "The First Minister of Wales",
    "body": "We ask that the principles of co-production are placed at the heart of services.",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def status_of(port: int, path: str) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}{path}") as response,
    ):
        return response.status, await response.text()


def the_post(driver: Driver, world: CoproWorld) -> Message:
    [post] = [
        m
        for m in driver.messages(world.announcements)
        if not m.deleted
        and any(b.get("custom_id", "").startswith("letter:sign:") for b in m.buttons())
    ]
    return post


def page_button(post: Message) -> dict[str, Any] | None:
    """The post's link button to the public page, if it has one."""
    links = [b for b in post.buttons() if b.get("url")]
    assert len(links) <= 1
    return links[0] if links else None


async def test_the_post_and_info_link_the_page_and_edit_web_takes_it_down_and_back(
    start_bot: StartBot, bot_env: dict[str, str], driver: Driver, world: CoproWorld, clock: Any
) -> None:
    port = free_port()
    bot_env["WEB_PORT"] = str(port)
    bot_env["PUBLIC_URL"] = PUBLIC_URL
    async with start_bot():
        await driver.slash(world.admin, "setup channel", announcements=world.announcements)
        closes = typed(at_local(clock(), days=33, at="17:00"))
        await driver.slash(world.organiser, "letter create", options={**LETTER, "closes": closes})
        post = the_post(driver, world)
        button = page_button(post)
        assert button is not None and button["label"] == text.BUTTON_LETTER_PAGE
        match = PAGE_URL.fullmatch(button["url"])
        assert match is not None, button
        slug = match.group(1)
        letter = post.buttons()[0]["custom_id"].rsplit(":", 1)[1]
        await driver.slash(world.rhian, "letter sign", options={"letter": letter, "name": "Rhian"})

        info = await driver.slash(world.rhian, "letter info", letter=letter)
        assert button["url"] in str(info.embed().fields[-1].value)
        status, html = await status_of(port, f"/letters/{slug}")
        assert status == 200 and LETTER["title"] in html and "Rhian" in html
        assert "1 signature from 0 organisations" in html

        down = await driver.slash(world.organiser, "letter edit", letter=letter, web=False)
        assert down.ephemeral and text.LETTER_WEB_DOWN in down.text
        assert (await status_of(port, f"/letters/{slug}"))[0] == 404
        assert (await status_of(port, f"/letters/{slug}.json"))[0] == 404
        await driver.wait_for(
            lambda: page_button(post) is None, message="the page's button stayed on the post"
        )
        info = await driver.slash(world.rhian, "letter info", letter=letter)
        assert PUBLIC_URL not in str(info.embed().fields[-1].value)

        up = await driver.slash(world.organiser, "letter edit", letter=letter, web=True)
        assert up.ephemeral and text.LETTER_WEB_UP.format(url=button["url"]) in up.text
        assert (await status_of(port, f"/letters/{slug}"))[0] == 200
        await driver.wait_for(
            lambda: page_button(post) == button, message="the page's button never came back"
        )
        again = await driver.slash(world.organiser, "letter edit", letter=letter, web=True)
        assert again.text == text.LETTER_WEB_UP.format(url=button["url"])  # was already up


@pytest.mark.usefixtures("bot_app")
async def test_with_the_web_off_the_post_has_only_its_sign_button(
    driver: Driver, world: CoproWorld, clock: Any
) -> None:
    await driver.slash(world.admin, "setup channel", announcements=world.announcements)
    closes = typed(at_local(clock(), days=33, at="17:00"))
    await driver.slash(world.organiser, "letter create", options={**LETTER, "closes": closes})
    post = the_post(driver, world)
    assert [b.get("custom_id", "").split(":")[:2] for b in post.buttons()] == [["letter", "sign"]]
    letter = post.buttons()[0]["custom_id"].rsplit(":", 1)[1]
    info = await driver.slash(world.rhian, "letter info", letter=letter)
    assert "/letters/" not in str(info.embed().fields[-1].value)
    reply = await driver.slash(world.organiser, "letter edit", letter=letter, web=False)
    assert text.LETTER_WEB_DOWN in reply.text
    back = await driver.slash(world.organiser, "letter edit", letter=letter, web=True)
    assert text.LETTER_WEB_UP_NO_SERVER in back.text
