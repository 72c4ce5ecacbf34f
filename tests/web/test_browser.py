"""A letter's page in a real browser: headless Chromium (Debian's `chromium` package, driven
by Playwright; never `playwright install`) loads the page from the real web app and checks
what a person sees: the count, the signatories, hostile names shown as text with no script
run (no dialog, the title unchanged, no element added), and a phone's width (375 px) with
nothing wider than the screen.

Where /usr/bin/chromium is missing: in CI (`CI=true`) the test fails; elsewhere it is skipped
with a reason that says how to install it (`.ci/run` installs it)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot import text
from bot.domain.guilds import Actor
from bot.render.letters import tally_line
from bot.services.letters import LetterService
from tests.services.test_letters import create
from tests.web.letters_support import HOSTILE_NAMES, sign_many

pytest_plugins = ["tests.web.letters_fixtures"]  # letter_service, letter_web
pytestmark = pytest.mark.usefixtures("configured")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 812}
# Names that would change what the page shows if any of them ran as markup or script.
RUNNING = (
    "<img src=x onerror=\"document.title='pwned'\">",
    "<script>document.title='pwned'</script>",
    '<b id="injected">bold</b>',
    *HOSTILE_NAMES,
)
LONG = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch" + "x" * 22  # 80, no breaks


def need_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"no Chromium at {CHROMIUM} in CI: .ci/run must install it (apt chromium)")
    pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium")


def browser_env() -> dict[str, str | float | bool]:
    """The browser's environment: ours without libfaketime (tests.shifted runs the suite
    under it; the browser's own clock shows nothing here, and Chromium's threads are not
    libfaketime's to slow down)."""
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("FAKETIME") and name not in ("LD_PRELOAD", "DONT_FAKE_MONOTONIC")
    }


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    need_chromium()
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True, env=browser_env()
        )
        try:
            yield launched
        finally:
            await launched.close()


async def test_a_person_sees_the_letter_its_count_and_names_and_no_script_runs(
    letter_service: LetterService,
    letter_web: TestClient,  # type: ignore[type-arg]
    organiser: Actor,
    browser: Any,
    tmp_path: Path,
) -> None:
    letter = await create(letter_service, organiser, title="Open letter " + LONG[:40])
    signers = [
        (40_000 + n, name, "Tai Pawb" if n % 2 else None, True) for n, name in enumerate(RUNNING)
    ]
    signers += [
        (40_100, "Megan Jones", "Cardiff University", True),
        (40_101, LONG, LONG + "y" * 20, True),
        (40_102, "Not Shown", None, False),
    ]
    await sign_many(letter_service, letter, signers)
    tally = (await letter_service.info(letter)).tally
    url = str(letter_web.make_url(f"/letters/{letter.slug}"))

    for viewport in ({"width": 1280, "height": 900}, PHONE):
        context = await browser.new_context(
            viewport=viewport, is_mobile=viewport is PHONE, device_scale_factor=1
        )
        page = await context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog, seen=dialogs: seen.append(dialog.message))
        response = await page.goto(url, wait_until="load")
        assert response is not None and response.status == 200
        await page.wait_for_timeout(200)  # time for an onerror handler to have fired

        assert dialogs == []
        assert await page.title() == f"{letter.title} — open letter"
        assert await page.locator("#injected").count() == 0
        assert await page.locator("script").count() == 0
        assert await page.locator("img").count() == 0
        assert await page.locator("h1").count() == 1
        assert (await page.locator("h1").inner_text()).strip() == letter.title
        assert await page.evaluate("document.documentElement.lang") == "en"

        assert (await page.locator("#tally").inner_text()).strip() == tally_line(tally)
        shown = [name.strip() for name in await page.locator("ul.names li").all_inner_texts()]
        assert sorted(shown) == sorted([*RUNNING, "Megan Jones", LONG])  # literally, as typed
        assert "Not Shown" not in await page.locator("main").inner_text()
        assert await page.locator("h3.organisation", has_text="Tai Pawb").count() == 1
        assert await page.locator("h3.organisation", has_text="Signing for themselves").count() == 1
        assert await page.locator("text=1 more signed without their names shown").count() == 1

        width = await page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= viewport["width"], f"the page is {width}px wide at {viewport['width']}px"
        await page.screenshot(
            path=str(tmp_path / f"letter-{viewport['width']}.png"), full_page=True
        )
        await context.close()


async def test_the_front_page_reads_on_a_phone(
    letter_web: TestClient,  # type: ignore[type-arg]
    browser: Any,
) -> None:
    context = await browser.new_context(viewport=PHONE, is_mobile=True, device_scale_factor=1)
    page = await context.new_page()
    response = await page.goto(str(letter_web.make_url("/")), wait_until="load")
    assert response is not None and response.status == 200
    assert [h.strip() for h in await page.locator("h1").all_inner_texts()] == [
        text.WEB_HOME["heading"]
    ]
    assert text.WEB_HOME["about"] in await page.locator("main").inner_text()
    assert await page.locator("script").count() == 0
    assert await page.evaluate("document.documentElement.lang") == "en"
    width = await page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a phone"
    await context.close()


async def test_a_welsh_reader_gets_the_letter_in_welsh_and_can_switch_to_english(
    letter_service: LetterService,
    letter_web: TestClient,  # type: ignore[type-arg]
    organiser: Actor,
    browser: Any,
) -> None:
    letter = await create(letter_service, organiser, title_cy="Llythyr Agored", body_cy="Annwyl")
    context = await browser.new_context(
        viewport=PHONE, is_mobile=True, device_scale_factor=1, locale="cy-GB"
    )
    page = await context.new_page()
    url = str(letter_web.make_url(f"/letters/{letter.slug}"))
    await page.goto(url, wait_until="load")  # an English server's page: English
    assert await page.evaluate("document.documentElement.lang") == "en"
    await page.get_by_role("link", name="Cymraeg").click()
    await page.wait_for_load_state("load")
    assert await page.evaluate("document.documentElement.lang") == "cy"
    assert (await page.locator("h1").inner_text()).strip() == "Llythyr Agored"
    assert "Annwyl" in await page.locator(".letter-text").inner_text()
    width = await page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a phone"
    await page.get_by_role("link", name="English").click()
    await page.wait_for_load_state("load")
    assert (await page.locator("h1").inner_text()).strip() == letter.title
    await context.close()


def test_a_missing_browser_fails_in_ci_and_says_how_to_install_elsewhere(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(f"{__name__}.CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="in CI"):
        need_chromium()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        need_chromium()
