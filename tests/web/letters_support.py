"""Letter pages under test: a burst of signatures, hostile names, and a reader of pages as
a browser parses them (the fixtures are in tests/web/letters_fixtures.py)."""

from __future__ import annotations

import asyncio
from html.parser import HTMLParser

from bot.domain.letters import Letter
from bot.services.letters import LetterService
from tests.conftest import GUILD

PUBLIC_URL = "https://letters.example.org"
HOSTILE_NAMES = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
)


async def sign_many(
    letters: LetterService,
    letter: Letter,
    signers: list[tuple[int, str, str | None, bool]],
) -> None:
    """Each (user id, name, organisation, public) signs, all at once (a burst)."""
    await asyncio.gather(
        *(
            letters.sign(GUILD, user, letter.id, name=name, organisation=org, public=public)
            for user, name, org, public in signers
        )
    )


class PageReader(HTMLParser):
    """What a letter page shows, read as a browser parses it: each text with its element,
    the element's classes and its parent's classes; the <meta> tags; every tag and link."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []
        self.texts: list[tuple[str, str, str, str]] = []  # (tag, class, parent class, text)
        self.metas: dict[str, str] = {}
        self.tags: list[str] = []
        self.links: list[str] = []
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        self.tags.append(tag)
        if tag == "html":
            self.lang = found.get("lang")
        if tag == "meta":
            key = found.get("property") or found.get("name")
            if key:
                self.metas[key] = found.get("content", "")
        if tag == "a":
            self.links.append(found.get("href", ""))
        if tag not in VOID:
            self.stack.append((tag, found.get("class", "")))

    def handle_endtag(self, tag: str) -> None:
        if any(open_tag == tag for open_tag, _ in self.stack):
            while self.stack and self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self.stack and data.strip():
            tag, cls = self.stack[-1]
            parent = self.stack[-2][1] if len(self.stack) > 1 else ""
            self.texts.append((tag, cls, parent, data))

    def text_of(self, tag: str, cls: str | None = None) -> list[str]:
        """The texts of `tag` elements (with class `cls`, if given), stripped."""
        return [
            text.strip()
            for t, c, _, text in self.texts
            if t == tag and (cls is None or cls in c.split())
        ]

    def names(self) -> list[str]:
        """The signatories' names listed (the items of the lists of names), in page order."""
        return [text.strip() for t, _, p, text in self.texts if t == "li" and "names" in p.split()]

    def groups(self) -> list[tuple[str, list[str]]]:
        """(organisation heading, names under it) in page order."""
        found: list[tuple[str, list[str]]] = []
        for t, c, p, text in self.texts:
            if t == "h3" and "organisation" in c.split():
                found.append((text.strip(), []))
            elif t == "li" and "names" in p.split():
                found[-1][1].append(text.strip())
        return found


VOID = frozenset({"meta", "link", "br", "img", "input", "hr"})


def read_page(html: str) -> PageReader:
    reader = PageReader()
    reader.feed(html)
    reader.close()
    return reader
