"""Open letters as members see them: the post, info, lists and replies."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import pairwise

import discord

from bot import text
from bot.domain.languages import Language
from bot.domain.letters import (
    SIGNATURES_PAGE_SIZE,
    Letter,
    Signature,
    SignatureDraft,
    Tally,
)
from bot.i18n import current, label, ntr, tr
from bot.render.common import (
    CHOICE_NAME_MAX,
    COLOUR_CANCELLED,
    EMBED_DESCRIPTION_MAX,
    EMBED_TITLE_MAX,
    EMBED_TOTAL_MAX,
    FIELD_NAME_MAX,
    FIELD_VALUE_MAX,
    clip,
    fit_together,
    fit_total,
    message_link,
    public,
    safe,
    ts,
    when_markup,
)

COLOUR_LETTER = discord.Colour(0x8E44AD)
BUTTON_LABEL_MAX = 80
CONTENT_MAX = 2000
POST_BODY_MAX = 2000  # the post shows this much of the text; /letter info shows it all
LIST_BUDGET = 5500  # characters of list fields, under the 6000 a message's embeds may hold
# A line of /letter signatures: a page's lines and the note on unlisted signers fit in one
# description however long (escaped) names and organisations are.
SIGNATURE_LINE_MAX = (EMBED_DESCRIPTION_MAX - 200) // SIGNATURES_PAGE_SIZE


# --- small pieces ----------------------------------------------------------------------------


def tally_line(tally: Tally) -> str:
    """ "130 signatures from 41 organisations" (every signature counts, listed or not)."""
    return tr(
        text.LETTER_TALLY,
        signatures=ntr("LETTER_SIGNATURE_WORDS", tally.signatures),
        organisations=ntr("LETTER_ORGANISATION_WORDS", tally.organisations),
    )


def letter_page_url(public_url: str | None, letter: Letter, suffix: str = "") -> str | None:
    """The address of the letter's public page (`suffix` ".json" or ".csv" for its data);
    None when the web is off (no `public_url`) or the page is down (`/letter edit web`)."""
    if public_url is None or not letter.web or not letter.slug:
        return None
    return f"{public_url.rstrip('/')}/letters/{letter.slug}{suffix}"


def clip_text(body: str, limit: int) -> str:
    """Cut a letter's text to at most `limit` characters at a clean place: the end of a
    paragraph, else of a sentence, else of a word, near the limit; "…" marks the cut."""
    if len(body) <= limit:
        return body
    room = body[: limit - 1]
    for mark in ("\n\n", "\n", ". ", "! ", "? "):
        at = room.rfind(mark)
        if at >= limit * 0.6:
            return room[: at + len(mark.rstrip())].rstrip() + " …"
    return clip(body, limit)


def title_of(letter: Letter) -> str:
    """The letter's title in the language being rendered: the Welsh when given."""
    return letter.title_cy if current() is Language.CY and letter.title_cy else letter.title


def body_of(letter: Letter) -> str:
    """The letter's text in the language being rendered: the Welsh when given."""
    return letter.body_cy if current() is Language.CY and letter.body_cy else letter.body


def letter_title(letter: Letter, now: datetime) -> str:
    title = safe(title_of(letter), links=False)
    if letter.is_closed(now):
        title = tr(text.LETTER_CLOSED_TITLE, title=title)
    return clip(title, EMBED_TITLE_MAX)


def who_signed(signature: SignatureDraft | Signature) -> str:
    name = safe(signature.name)
    organisation = signature.organisation
    welsh = getattr(signature, "organisation_cy", None)
    if welsh and current() == "cy":
        organisation = welsh
    return f"{name} ({safe(organisation)})" if organisation else name


def _closing_field(letter: Letter, now: datetime) -> tuple[str, str]:
    closed = letter.closed_since(now)
    if closed is not None:
        return tr(text.LETTER_CLOSED), tr(text.LETTER_CLOSED_AT, at=when_markup(closed))
    if letter.closes_at is not None:
        return tr(text.LETTER_CLOSES), when_markup(letter.closes_at)
    return tr(text.LETTER_CLOSES), tr(text.LETTER_OPEN_UNTIL_CLOSED)


def letter_embed(
    letter: Letter, tally: Tally, now: datetime, *, body_max: int = POST_BODY_MAX
) -> discord.Embed:
    """The letter's post: its text (cut cleanly if long), who it is to, the count, and when
    signing closes or closed."""
    closed = letter.is_closed(now)
    body = safe(body_of(letter))
    shown = clip_text(body, body_max)
    if shown != body:
        shown = clip_text(body, body_max - len(tr(text.LETTER_READ_MORE)) - 2)
        shown += "\n\n" + tr(text.LETTER_READ_MORE)
    embed = discord.Embed(
        title=letter_title(letter, now),
        description=shown,
        colour=COLOUR_CANCELLED if closed else COLOUR_LETTER,
    )
    embed.add_field(
        name=tr(text.LETTER_TO), value=clip(safe(letter.addressee), FIELD_VALUE_MAX), inline=False
    )
    embed.add_field(name=tr(text.LETTER_SIGNATURES), value=f"**{tally_line(tally)}**", inline=True)
    name, value = _closing_field(letter, now)
    embed.add_field(name=name, value=value, inline=True)
    if letter.body_changed_at is not None:
        embed.add_field(
            name=tr(text.LETTER_TEXT_CHANGED),
            value=tr(
                text.LETTER_TEXT_CHANGED_AT,
                at=letter.body_changed_at,
            ),
            inline=False,
        )
    footer = tr(text.LETTER_FOOTER_CLOSED) if closed else tr(text.LETTER_FOOTER_OPEN)
    embed.set_footer(text=footer.format(id=letter.id))
    return embed


def letter_embeds(
    letter: Letter, tally: Tally, now: datetime, languages: Sequence[Language], tz: str
) -> list[discord.Embed]:
    """The letter's post in the server's mode: an embed per language, Welsh first, within
    6,000 characters together; two texts share the post's room, and a text with no Welsh
    is shown once."""
    two_texts = len(languages) > 1 and bool(letter.body_cy)
    body_max = POST_BODY_MAX // len(languages) if two_texts else POST_BODY_MAX
    embeds = public(lambda: letter_embed(letter, tally, now, body_max=body_max), languages, tz)
    for earlier, later in pairwise(embeds):
        if later.description is not None and later.description == earlier.description:
            later.description = None
    return fit_together(embeds)


def sign_button_label(
    letter: Letter, now: datetime, languages: Sequence[Language] | None = None
) -> str:
    """The Sign button's words, in each language of a public post ("Llofnodi · Sign")."""
    msgid = text.BUTTON_SIGN_CLOSED if letter.is_closed(now) else text.BUTTON_SIGN
    return clip(label(msgid, languages), BUTTON_LABEL_MAX)


def info_embed(
    letter: Letter, tally: Tally, now: datetime, page_url: str | None = None
) -> tuple[discord.Embed, bool]:
    """The whole letter, as far as an embed holds it, with a link to its public page when
    there is one; True when the text had to be cut (the caller then attaches the full
    text)."""
    embed = letter_embed(letter, tally, now, body_max=EMBED_DESCRIPTION_MAX)
    cut = len(safe(letter.body)) > EMBED_DESCRIPTION_MAX
    link = message_link(letter.guild_id, letter.channel_id, letter.message_id)
    lines = [
        tr(text.LETTER_INFO_CREATED, user_id=letter.created_by, created=ts(letter.created_at, "D")),
        tr(text.LETTER_POST_LINK, link=link) if link else tr(text.NO_POST_LINK),
    ]
    if page_url is not None:
        lines.append(tr(text.LETTER_PAGE_LINK, url=page_url))
    if not cut and len(embed) + len("\n".join(lines)) > EMBED_TOTAL_MAX:
        cut = True  # the escaped text and the rest outgrow one message: shorten, attach it all
    if cut:
        lines.append(tr(text.LETTER_INFO_FULL_TEXT))
    embed.add_field(name="\u200b", value="\n".join(lines), inline=False)
    return fit_total(embed), cut


def signatures_embed(
    letter: Letter, tally: Tally, signatures: Sequence[Signature], page: int, pages: int
) -> discord.Embed:
    """One page of the public list: names and organisations in the order people signed."""
    embed = discord.Embed(
        title=clip(
            tr(text.SIGNATURES_TITLE, title=safe(letter.title, links=False)), EMBED_TITLE_MAX
        ),
        colour=COLOUR_LETTER,
    )
    first = page * SIGNATURES_PAGE_SIZE + 1
    # Each signatory gets an equal share of the page, so none falls off the end of it.
    lines = [
        clip(f"{n}. {who_signed(s)}", SIGNATURE_LINE_MAX)
        for n, s in enumerate(signatures, start=first)
    ]
    description = "\n".join(lines) if lines else tr(text.SIGNATURES_EMPTY)
    unlisted = tally.signatures - tally.listed
    if unlisted:
        description += "\n\n" + tr(text.SIGNATURES_UNLISTED, count=unlisted)
    embed.description = clip(description, EMBED_DESCRIPTION_MAX)
    embed.set_footer(
        text=tr(text.SIGNATURES_PAGE, page=page + 1, pages=pages, tally=tally_line(tally))
    )
    return embed


def list_embed(items: Sequence[tuple[Letter, Tally]], total: int, now: datetime) -> discord.Embed:
    """The server's letters, open first, each with its count and closing time; as many as
    fit in one message (the rest are counted)."""
    embed = discord.Embed(title=tr(text.LETTERS_TITLE), colour=COLOUR_LETTER)
    if not items:
        embed.description = tr(text.LETTERS_EMPTY)
        return embed
    used = len(embed.title or "")
    shown = 0
    for letter, tally in items:
        state = (
            tr(text.LETTER_STATE_CLOSED) if letter.is_closed(now) else tr(text.LETTER_STATE_OPEN)
        )
        title = clip(safe(letter.title, links=False), FIELD_NAME_MAX - len(state) - 3)
        name = f"{title} ({state})"
        closing_name, closing = _closing_field(letter, now)
        parts = [
            tally_line(tally),
            f"{tr(text.LETTER_TO)}: {safe(letter.addressee)}",
            f"{closing_name}: {closing}",
        ]
        link = message_link(letter.guild_id, letter.channel_id, letter.message_id)
        if link:
            parts.append(tr(text.LETTER_POST_LINK, link=link))
        value = clip("\n".join(parts), FIELD_VALUE_MAX)
        if used + len(name) + len(value) > LIST_BUDGET or shown == 24:
            break
        embed.add_field(name=name, value=value, inline=False)
        used += len(name) + len(value)
        shown += 1
    if total > shown:
        embed.set_footer(text=tr(text.LETTERS_MORE, count=total - shown))
    return embed


def choice_label(letter: Letter, now: datetime) -> str:
    label = letter.title
    if letter.is_closed(now):
        label = f"{tr(text.CHOICE_CLOSED)} {label}"
    return clip(label, CHOICE_NAME_MAX)


def sign_modal_title(letter: Letter) -> str:
    return clip(tr(text.SIGN_MODAL_TITLE, title=letter.title), 45)


# --- replies and posts -----------------------------------------------------------------------


def _link(letter: Letter) -> str:
    return message_link(letter.guild_id, letter.channel_id, letter.message_id) or tr(
        text.NO_POST_LINK
    )


def welsh_missing(letter: Letter, languages: Sequence[Language]) -> str | None:
    """The organiser's note when the server posts in Welsh and the letter lacks some Welsh."""
    if Language.CY not in languages or (letter.title_cy and letter.body_cy):
        return None
    return tr(text.LETTER_WELSH_MISSING)


def created_reply(
    letter: Letter, ambiguous_local: datetime | None, posted_in: Sequence[Language] = ()
) -> str:
    """`posted_in`: the server's mode, for a note when the post lacks Welsh it shows."""
    reply = tr(text.LETTER_CREATED, title=safe(letter.title), link=_link(letter))
    if letter.closes_at is not None:
        reply += "\n" + tr(
            text.LETTER_CREATED_CLOSES,
            at=letter.closes_at,
        )
    if ambiguous_local is not None:
        reply += "\n" + tr(text.LETTER_CREATED_AMBIGUOUS, local=f"{ambiguous_local:%H:%M}")
    if note := welsh_missing(letter, posted_in):
        reply += "\n" + note
    return reply


def signed_reply(letter: Letter, signature: SignatureDraft, tally: Tally, first: bool) -> str:
    template = tr(text.LETTER_SIGNED) if first else tr(text.LETTER_SIGNED_AGAIN)
    reply = template.format(
        title=safe(letter.title), who=who_signed(signature), tally=tally_line(tally)
    )
    if not signature.public:
        reply += "\n" + tr(text.LETTER_SIGNED_UNLISTED)
    return reply


def withdrawn_reply(letter: Letter, tally: Tally) -> str:
    return tr(text.LETTER_WITHDRAWN, title=safe(letter.title), tally=tally_line(tally))


def edited_reply(
    letter: Letter,
    changes: tuple[str, ...],
    *,
    reopened: bool,
    reposted: bool,
    notified: int,
    ambiguous_local: datetime | None,
    web: bool | None = None,
    page_url: str | None = None,
    posted_in: Sequence[Language] = (),
) -> str:
    """What /letter edit answers; `web` is the page state the organiser asked for (None: not
    asked), `page_url` the page's address when it is up and the web is on."""
    if not changes and web is None:
        return tr(text.ERRORS["edit_nothing"])
    web_line = ""
    if web is not None:
        if not web:
            web_line = tr(text.LETTER_WEB_DOWN)
        elif page_url is not None:
            web_line = tr(text.LETTER_WEB_UP, url=page_url)
        else:
            web_line = tr(text.LETTER_WEB_UP_NO_SERVER)
    if not changes:  # the page was already as asked
        return web_line
    names = ", ".join(tr(text.LETTER_CHANGE_NAMES[name]) for name in changes)
    reply = tr(text.LETTER_EDITED, title=safe(letter.title), changes=names, link=_link(letter))
    if web_line:
        reply += "\n" + web_line
    if reopened:
        reply += "\n" + tr(text.LETTER_EDITED_REOPENED)
    if notified:
        reply += "\n" + ntr("LETTER_EDITED_NOTIFIED", notified)
    if reposted:
        reply += "\n" + tr(text.LETTER_REPOSTED, link=_link(letter))
    if ambiguous_local is not None:
        reply += "\n" + tr(text.LETTER_CREATED_AMBIGUOUS, local=f"{ambiguous_local:%H:%M}")
    if note := welsh_missing(letter, posted_in):
        reply += "\n" + note
    return reply


def close_prompt(letter: Letter, tally: Tally) -> str:
    return tr(text.LETTER_CLOSE_CONFIRM, title=safe(letter.title), tally=tally_line(tally))


def closed_reply(letter: Letter, tally: Tally) -> str:
    return tr(
        text.LETTER_CLOSED_REPLY,
        title=safe(letter.title),
        tally=tally_line(tally),
        link=_link(letter),
    )


def celebration(letter: Letter, count: int, room: int = CONTENT_MAX) -> str:
    return clip(
        ntr("LETTER_CELEBRATION", count, title=safe(title_of(letter)), link=_link(letter)),
        room,
    )


def celebration_post(letter: Letter, count: int, languages: Sequence[Language], tz: str) -> str:
    """The milestone message in the server's mode: each language in turn, Welsh first."""
    room = (CONTENT_MAX - len(languages) + 1) // len(languages)
    texts = public(lambda: celebration(letter, count, room), languages, tz)
    return clip("\n".join(dict.fromkeys(texts)), CONTENT_MAX)


def exported_reply(letter: Letter, tally: Tally, listed: int) -> str:
    return tr(
        text.LETTER_EXPORTED, title=safe(letter.title), listed=listed, tally=tally_line(tally)
    )
