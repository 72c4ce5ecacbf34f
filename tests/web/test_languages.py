"""The web pages in Welsh and English (bot.domain.page_language): `?lang=` wins, else the
server's mode (cy, en), else the browser's Accept-Language, else Welsh. A Welsh page is
`<html lang="cy">` with its frame in Welsh and its dates in Welsh words, shows the letter's
Welsh text, and links to the English (and back); the plain 404 is Welsh then English."""

from __future__ import annotations

from html import unescape

import pytest
from aiohttp.test_utils import TestClient

from bot import text
from bot.domain.guilds import Actor
from bot.domain.languages import Language, Mode
from bot.domain.page_language import browser_language, page_language
from bot.i18n import welsh_datetime
from bot.services.guilds import GuildService
from bot.services.letters import LetterService
from tests.conftest import GUILD
from tests.services.test_letters import create
from tests.support.welsh import welsh
from tests.web.letters_support import read_page
from tests.web.test_letter_pages import path_of

pytest_plugins = ["tests.web.letters_fixtures"]  # its fixtures: letter_service, letter_web

pytestmark = pytest.mark.usefixtures("configured")

Client = TestClient  # type: ignore[type-arg]
WELSH_TEXT = dict(
    title_cy="Llythyr Agored at y Prif Weinidog",
    body_cy="Annwyl Brif Weinidog,\n\nGofynnwn dri pheth.",
)


@pytest.mark.parametrize(
    ("asked", "accept", "mode", "expected"),
    [
        ("en", "cy", Mode.CY, Language.EN),  # the page's own link wins
        ("CY", None, Mode.EN, Language.CY),
        ("fr", None, Mode.EN, Language.EN),  # not a language of ours: as if not asked
        (None, "en-GB,en;q=0.9", Mode.CY, Language.CY),  # a Welsh server's page is Welsh
        (None, "cy-GB,cy;q=0.9", Mode.EN, Language.EN),  # an English server's is English
        (None, "en-GB,en;q=0.9,cy;q=0.8", Mode.BILINGUAL, Language.EN),
        (None, "fr, cy;q=0.5, en;q=0.4", Mode.BILINGUAL, Language.CY),
        (None, "en;q=0.2, cy;q=0.9", Mode.BILINGUAL, Language.CY),  # by quality, not order
        (None, "fr,de", Mode.BILINGUAL, Language.CY),  # neither: Welsh first
        (None, None, None, Language.CY),
        (None, "en;q=0, cy;q=x", None, Language.CY),  # refused and unreadable qualities
    ],
)
def test_which_language_a_page_is_in(
    asked: str | None, accept: str | None, mode: Mode | None, expected: Language
) -> None:
    assert page_language(asked, accept, mode) is expected


def test_a_long_accept_language_header_is_read_boundedly() -> None:
    assert browser_language("fr," * 10_000 + "cy") is None
    assert browser_language("en-US," + "x;q=0.1," * 10_000) is Language.EN


async def set_mode(guilds: GuildService, admin: Actor, mode: str) -> None:
    await guilds.set_language(GUILD, admin, mode)


async def page(client: Client, path: str, **headers: str) -> tuple[object, str]:
    response = await client.get(path, headers=headers)
    assert response.status == 200
    return response, unescape(await response.text())  # what a reader sees


async def test_a_welsh_servers_letter_page_is_in_welsh_with_a_link_to_english(
    letter_service: LetterService,
    letter_web: Client,
    organiser: Actor,
    guilds: GuildService,
    admin: Actor,
) -> None:
    await set_mode(guilds, admin, "cy")
    letter = await create(letter_service, organiser, **WELSH_TEXT)  # closes in 33 days
    response, html = await page(letter_web, path_of(letter), **{"Accept-Language": "en-GB"})
    assert response.headers["Content-Language"] == "cy"  # type: ignore[attr-defined]
    assert "Accept-Language" in response.headers["Vary"]  # type: ignore[attr-defined]
    shown = read_page(html)
    assert shown.lang == "cy"
    assert shown.text_of("h1") == [WELSH_TEXT["title_cy"]]
    assert '<h1 lang="cy">' in html and '<div class="letter-text" lang="cy">' in html
    assert "Gofynnwn dri pheth." in html and letter.body not in html
    # The frame is Welsh, and the closing time is in Welsh words in the server's zone.
    assert welsh(text.WEB_LETTER["signatories"]) in shown.text_of("h2")
    assert welsh(text.WEB_SITE["footer"]) in html
    assert letter.closes_at is not None
    assert welsh_datetime(letter.closes_at, "Europe/London") in html
    # A link to the English page, named in English; that page links back.
    slug = path_of(letter).rsplit("/", 1)[1]
    assert f"{slug}?lang=en" in shown.links
    assert 'hreflang="en" lang="en">English</a>' in html
    _, english = await page(letter_web, path_of(letter) + "?lang=en")
    assert read_page(english).lang == "en"
    assert read_page(english).text_of("h1") == [letter.title]
    assert f"{slug}?lang=cy" in read_page(english).links and ">Cymraeg</a>" in english


async def test_a_welsh_page_of_a_letter_without_welsh_shows_the_english_marked(
    letter_service: LetterService,
    letter_web: Client,
    organiser: Actor,
    guilds: GuildService,
    admin: Actor,
) -> None:
    await set_mode(guilds, admin, "bilingual")
    letter = await create(letter_service, organiser)
    _, html = await page(letter_web, path_of(letter))  # no Accept-Language: Welsh first
    shown = read_page(html)
    assert shown.lang == "cy" and shown.text_of("h1") == [letter.title]
    assert '<h1 lang="en">' in html and '<div class="letter-text" lang="en">' in html
    assert welsh(text.WEB_SITE["text_in_english"]) in html
    # A bilingual server's reader whose browser prefers English gets English.
    response, english = await page(
        letter_web, path_of(letter), **{"Accept-Language": "en-GB,en;q=0.9,cy;q=0.5"}
    )
    assert read_page(english).lang == "en"
    assert response.headers["Content-Language"] == "en"  # type: ignore[attr-defined]
    assert text.WEB_SITE["text_in_english"] not in english


async def test_an_english_servers_page_is_english_and_kept_apart_from_the_welsh(
    letter_service: LetterService, letter_web: Client, organiser: Actor
) -> None:
    letter = await create(letter_service, organiser, **WELSH_TEXT)
    _, english = await page(letter_web, path_of(letter), **{"Accept-Language": "cy"})
    _, welsh = await page(letter_web, path_of(letter) + "?lang=cy")
    _, again = await page(letter_web, path_of(letter))
    assert read_page(english).lang == read_page(again).lang == "en"
    assert read_page(welsh).lang == "cy" and english == again != welsh


async def test_the_front_page_follows_the_browser_and_links_to_the_other_language(
    letter_web: Client,
) -> None:
    _, cymraeg = await page(letter_web, "/", **{"Accept-Language": "cy"})
    _, english = await page(letter_web, "/", **{"Accept-Language": "en-US"})
    assert read_page(cymraeg).lang == "cy" and read_page(english).lang == "en"
    assert welsh(text.WEB_HOME["about"]) in cymraeg and text.WEB_HOME["about"] in english
    assert "/?lang=en" in read_page(cymraeg).links and "/?lang=cy" in read_page(english).links
    _, asked = await page(letter_web, "/?lang=en", **{"Accept-Language": "cy"})
    assert read_page(asked).lang == "en"


async def test_the_404_is_welsh_then_english(letter_web: Client) -> None:
    response = await letter_web.get("/letters/" + "x" * 32 + "?lang=en")
    assert response.status == 404
    assert await response.text() == f"{welsh(text.WEB_PLAIN[404])}\n{text.WEB_PLAIN[404]}\n"
