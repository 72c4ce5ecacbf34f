"""Public posts in the server's language mode (issue #16): announcements, reminders, the
digest, letter posts, milestones and polls in English, Welsh and both (Welsh first, in one
message, within every Discord limit), the Welsh text of events and letters, and the
calendar and Events-tab entry in Welsh."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot import text
from bot.adapters.letter_posts import sign_view
from bot.adapters.poll_posts import options_view
from bot.adapters.posts import NATIVE_DESCRIPTION_MAX, NATIVE_NAME_MAX, native_text
from bot.domain.events import DESCRIPTION_MAX, PLACE_MAX, TITLE_MAX
from bot.domain.languages import Language, Mode
from bot.domain.letters import BODY_MAX, Letter, Tally
from bot.domain.letters import TITLE_MAX as LETTER_TITLE_MAX
from bot.domain.polls import Poll, PollCounts, PollOption
from bot.domain.rsvps import RsvpCounts
from bot.i18n import welsh_datetime
from bot.render.calendar import event_calendar
from bot.render.common import CONTENT_MAX, embed_size_ok
from bot.render.events import announcement_embeds, announcement_text, post_view, welsh_missing
from bot.render.letters import celebration_post, letter_embeds
from bot.render.polls import poll_embeds
from bot.render.reminders import digest_embeds, reminder_content
from tests.render.test_events import make_event
from tests.support.counts import english_count, welsh_count
from tests.support.letters import make_letter as letter_at
from tests.support.welsh import welsh

EN, CY, BOTH = Mode.EN.languages, Mode.CY.languages, Mode.BILINGUAL.languages
MODES = pytest.mark.parametrize("languages", [EN, CY, BOTH], ids=["en", "cy", "bilingual"])
TZ = "Europe/London"
START = datetime(2026, 12, 3, 18, 30, tzinfo=UTC)
NOW = START - timedelta(days=3)
WELSH_WHEN = welsh_datetime(START, TZ)  # "Dydd Iau, 3 Rhagfyr 2026 am 18:30"

WELSH_EVENT = make_event(
    title_cy="Cyfarfod Rhwydwaith De Cymru 4",
    description_cy="Ein pedwerydd cyfarfod yn Ne Cymru.",
)


def words(*embeds: object) -> str:
    """Everything an embed shows, as one text."""
    out = []
    for embed in embeds:
        data = embed.to_dict()  # type: ignore[attr-defined]
        out.append(str(data))
    return "\n".join(out)


def make_letter(**changes: object) -> Letter:
    fields: dict[str, object] = dict(
        body="We ask that the principles of co-production guide every new service.",
        closes_at=START + timedelta(days=20),
        slug="s" * 22,
    )
    return letter_at(NOW - timedelta(days=1), **{**fields, **changes})


WELSH_LETTER = make_letter(
    title_cy="Llythyr Agored at y Prif Weinidog",
    body_cy="Gofynnwn i egwyddorion cydgynhyrchu arwain pob gwasanaeth newydd.",
)


def make_poll(**changes: object) -> Poll:
    options = tuple(
        PollOption(position=n, starts_at=START + timedelta(days=7 * (n - 1))) for n in (1, 2, 3)
    )
    fields: dict[str, object] = dict(
        id=5,
        guild_id=1,
        title="When should meeting 5 be?",
        channel_id=2,
        message_id=3,
        options=options,
        series_id=None,
        closes_at=START - timedelta(days=1),
        closed_at=None,
        winner_position=None,
        announced_event_id=None,
        created_by=4,
        created_at=NOW,
    )
    fields.update(changes)
    return Poll(**fields)  # type: ignore[arg-type]


# --- announcements ---------------------------------------------------------------------------


@MODES
def test_announcement_in_each_mode(languages: tuple[Language, ...]) -> None:
    [embed] = announcement_embeds(WELSH_EVENT, RsvpCounts(going=3), languages, TZ)
    assert embed_size_ok(embed)
    said = {
        Language.CY: (
            "Cyfarfod Rhwydwaith De Cymru 4",
            "Ein pedwerydd cyfarfod yn Ne Cymru.",
            welsh(text.EMBED_WHEN),
            welsh(text.RSVP_COUNTS).format(going=3, maybe=0, cant=0),
        ),
        Language.EN: (
            "S. Wales Network Meeting 4",
            "Our fourth South Wales meeting.",
            text.EMBED_WHEN,
            text.RSVP_COUNTS.format(going=3, maybe=0, cant=0),
        ),
    }
    titles, descriptions, whens, counts = zip(
        *(said[language] for language in languages), strict=True
    )
    assert embed.title == " · ".join(titles)  # Welsh first
    assert embed.description == "\n\n".join(descriptions)
    when, where, *_, rsvps = embed.fields
    assert when.name == " · ".join(whens)
    unix = int(START.timestamp())
    assert (WELSH_WHEN in str(when.value)) is (Language.CY in languages)
    assert (f"<t:{unix}:F>" in str(when.value)) is (Language.EN in languages)
    assert str(when.value).count(f"<t:{unix}:R>") == 1  # how far off: said once
    assert where.value == "United Welsh Housing, Caerphilly"  # the same in both: said once
    assert rsvps.value == "\n".join(counts)


def test_a_welsh_post_without_welsh_text_shows_the_english_once() -> None:
    event = make_event()  # no title_cy, no description_cy
    [post] = announcement_embeds(event, RsvpCounts(), CY, TZ)
    assert post.title == event.title
    assert post.description == event.description
    assert post.fields[0].name == welsh(text.EMBED_WHEN)
    [both] = announcement_embeds(event, RsvpCounts(), BOTH, TZ)
    assert both.title == event.title  # the same text is not given twice
    assert both.description == event.description
    assert both.fields[0].name == f"{welsh(text.EMBED_WHEN)} · {text.EMBED_WHEN}"


def test_bilingual_announcement_at_every_maximum_fits_one_embed_in_fair_shares() -> None:
    longest = make_event(
        title="W" * TITLE_MAX,
        title_cy="Ŵ" * TITLE_MAX,
        place="*" * PLACE_MAX,
        description="_" * DESCRIPTION_MAX,  # each escaped: twice as long
        description_cy="ŵ*" * (DESCRIPTION_MAX // 2),
    )
    [embed] = announcement_embeds(longest, RsvpCounts(going=9, maybe=2), BOTH, TZ)
    assert embed_size_ok(embed)
    welsh_part, english_part = (embed.description or "").split("\n\n")
    assert welsh_part.endswith("…") and english_part.endswith("…")
    assert abs(len(welsh_part) - len(english_part)) <= 1  # neither language loses more
    assert embed.title == f"{'Ŵ' * TITLE_MAX} · {'W' * TITLE_MAX}"  # both fit whole


@MODES
def test_announcement_button_and_ping_carry_each_language(
    languages: tuple[Language, ...],
) -> None:
    button = post_view(languages).children[0]
    expected = " · ".join(
        welsh(text.BUTTON_CALENDAR) if language is Language.CY else text.BUTTON_CALENDAR
        for language in languages
    )
    assert button.label == expected  # type: ignore[attr-defined]
    assert len(expected) <= 80
    ping = announcement_text(99, languages)
    assert ping is not None and ping.count("<@&99>") == len(languages)
    if Language.CY in languages:
        assert ping.startswith(welsh(text.ANNOUNCE_PING).format(role="<@&99>"))


# --- reminders and the digest ----------------------------------------------------------------


@MODES
def test_reminder_post_in_each_mode(languages: tuple[Language, ...]) -> None:
    content = reminder_content(WELSH_EVENT, RsvpCounts(going=2), [11, 12], languages, TZ)
    assert len(content) <= CONTENT_MAX
    assert ("Cyfarfod Rhwydwaith De Cymru 4" in content) is (Language.CY in languages)
    assert ("S. Wales Network Meeting 4" in content) is (Language.EN in languages)
    assert (WELSH_WHEN in content) is (Language.CY in languages)
    if languages == BOTH:
        assert content.index("Cyfarfod") < content.index("S. Wales")


def test_bilingual_reminder_with_many_unreachable_members_fits() -> None:
    content = reminder_content(
        WELSH_EVENT, RsvpCounts(), list(range(10**17, 10**17 + 200)), BOTH, TZ
    )
    assert len(content) <= CONTENT_MAX
    assert "Cyfarfod" in content and "S. Wales" in content


@MODES
def test_digest_in_each_mode(languages: tuple[Language, ...]) -> None:
    items = [(WELSH_EVENT, RsvpCounts(going=4)), (make_event(id=43), RsvpCounts())]
    [embed] = digest_embeds(items, languages, TZ)
    assert embed_size_ok(embed)
    names = {
        Language.CY: (welsh(text.DIGEST_TITLE), "Cyfarfod Rhwydwaith De Cymru 4"),
        Language.EN: (text.DIGEST_TITLE, "S. Wales Network Meeting 4"),
    }
    titles, events = zip(*(names[language] for language in languages), strict=True)
    assert embed.title == " · ".join(titles)
    assert embed.fields[0].name == " · ".join(events)  # Welsh first
    assert embed.fields[1].name == "S. Wales Network Meeting 4"  # no Welsh title: once
    value = str(embed.fields[0].value)
    unix = int(START.timestamp())
    assert (WELSH_WHEN in value) is (Language.CY in languages)
    assert (f"<t:{unix}:F>" in value) is (Language.EN in languages)
    assert "✅ 4 · 🤔 0 · ❌ 0" in value  # figures: their words are the footer's, once
    legends = [
        welsh(text.DIGEST_LEGEND) if language is Language.CY else text.DIGEST_LEGEND
        for language in languages
    ]
    assert embed.footer.text == "\n".join(legends)


def test_digest_legend_names_the_waitlist_only_when_one_is_shown() -> None:
    full = make_event(capacity=4)
    [embed] = digest_embeds([(full, RsvpCounts(going=4, waitlist=2))], BOTH, TZ)
    assert "✅ 4/4 · 🤔 0 · ❌ 0 · ⏳ 2" in str(embed.fields[0].value)
    assert embed.footer.text == "\n".join(
        [welsh(text.DIGEST_LEGEND_WAITLIST), text.DIGEST_LEGEND_WAITLIST]
    )


def test_bilingual_digest_lists_the_same_events_as_an_english_one() -> None:
    """Each event is listed once in both languages, so a Welsh reader sees every event an
    English reader does; saying the time, place and link once leaves room for most of a
    week that fills an English digest."""
    week = [
        (replace(WELSH_EVENT, id=n, message_id=10**18 + n), RsvpCounts(going=n)) for n in range(25)
    ]
    [english] = digest_embeds(week, EN, TZ)
    [both] = digest_embeds(week, BOTH, TZ)
    assert embed_size_ok(both)
    assert len(english.fields) == 25
    assert len(both.fields) >= 15
    for field in both.fields:
        assert field.name == "Cyfarfod Rhwydwaith De Cymru 4 · S. Wales Network Meeting 4"
        assert WELSH_WHEN in str(field.value)


@MODES
def test_a_digest_says_how_many_events_did_not_fit(languages: tuple[Language, ...]) -> None:
    week = [
        (replace(WELSH_EVENT, id=n, message_id=10**18 + n), RsvpCounts(going=n)) for n in range(30)
    ]
    [embed] = digest_embeds(week, languages, TZ)
    assert embed_size_ok(embed)
    left = 30 - len(embed.fields)
    assert left >= 5  # at most 25 fields
    said = [
        welsh_count("DIGEST_MORE", left)
        if language is Language.CY
        else english_count("DIGEST_MORE", left)
        for language in languages
    ]
    assert str(embed.footer.text).endswith("\n".join(said))
    [all_shown] = digest_embeds(week[:3], languages, TZ)
    assert "/events upcoming" not in str(all_shown.footer.text)


@pytest.mark.parametrize("place", [1, 12, PLACE_MAX])
def test_the_line_on_what_did_not_fit_takes_room_from_the_events(place: int) -> None:
    """The line is always said, within 6,000 characters: where it would not fit, the last
    event gives way to it (places of 1 and 12 characters leave too little room for it)."""
    long = make_event(title="T" * TITLE_MAX, title_cy="Ŵ" * TITLE_MAX, place="*" * place)
    items = [(replace(long, id=n), RsvpCounts(going=n)) for n in range(40)]
    [embed] = digest_embeds(items, BOTH, TZ)
    assert embed_size_ok(embed)
    left = 40 - len(embed.fields)
    assert str(embed.footer.text).endswith(english_count("DIGEST_MORE", left))
    assert welsh_count("DIGEST_MORE", left) in str(embed.footer.text)


def test_bilingual_digest_of_many_long_events_fits_one_message() -> None:
    long = make_event(title="T" * TITLE_MAX, title_cy="Ŵ" * TITLE_MAX, place="*" * PLACE_MAX)
    items = [(replace(long, id=n), RsvpCounts(going=n)) for n in range(40)]
    [embed] = digest_embeds(items, BOTH, TZ)
    assert embed_size_ok(embed)
    assert len(embed.fields) >= 10  # each event at its longest: about 560 characters
    assert all(field.name == f"{'Ŵ' * TITLE_MAX} · {'T' * TITLE_MAX}" for field in embed.fields)


# --- letters ---------------------------------------------------------------------------------


@MODES
def test_letter_post_in_each_mode(languages: tuple[Language, ...]) -> None:
    embeds = letter_embeds(WELSH_LETTER, Tally(3, 2, 3), NOW, languages, TZ)
    assert len(embeds) == len(languages)
    assert embed_size_ok(*embeds)
    for embed, language in zip(embeds, languages, strict=True):
        if language is Language.CY:
            assert embed.title == "Llythyr Agored at y Prif Weinidog"
            assert embed.description == WELSH_LETTER.body_cy
            assert embed.fields[0].name == welsh(text.LETTER_TO)
        else:
            assert embed.title == WELSH_LETTER.title
            assert embed.description == WELSH_LETTER.body
            assert embed.fields[0].name == text.LETTER_TO


def test_bilingual_letter_at_every_maximum_fits_and_says_it_continues() -> None:
    longest = make_letter(
        title="L" * LETTER_TITLE_MAX,
        title_cy="Ŵ" * LETTER_TITLE_MAX,
        addressee="*" * 200,
        body=("We ask. " * BODY_MAX)[:BODY_MAX],
        body_cy=("Gofynnwn. " * BODY_MAX)[:BODY_MAX],
    )
    embeds = letter_embeds(longest, Tally(10**6, 10**5, 10**6), NOW, BOTH, TZ)
    assert embed_size_ok(*embeds)
    assert welsh(text.LETTER_READ_MORE) in (embeds[0].description or "")
    assert text.LETTER_READ_MORE in (embeds[1].description or "")


@MODES
def test_letter_buttons_carry_each_language(languages: tuple[Language, ...]) -> None:
    view = sign_view(WELSH_LETTER, NOW, "https://bot.example", languages)
    sign, page = view.children
    names = {Language.CY: welsh(text.BUTTON_SIGN), Language.EN: text.BUTTON_SIGN}
    assert sign.label == " · ".join(names[language] for language in languages)  # type: ignore[attr-defined]
    assert all(len(b.label or "") <= 80 for b in (sign, page))  # type: ignore[attr-defined]
    if languages == BOTH:
        assert sign.label == "Llofnodi · Sign"  # type: ignore[attr-defined]


@MODES
def test_milestone_in_each_mode(languages: tuple[Language, ...]) -> None:
    message = celebration_post(WELSH_LETTER, 25, languages, TZ)
    assert len(message) <= CONTENT_MAX
    assert ("Llythyr Agored" in message) is (Language.CY in languages)
    assert ("Open Letter" in message) is (Language.EN in languages)
    assert message.count("🎉") == len(languages)


# --- polls -----------------------------------------------------------------------------------


@MODES
def test_poll_post_and_buttons_in_each_mode(languages: tuple[Language, ...]) -> None:
    poll = make_poll()
    embeds = poll_embeds(poll, PollCounts({1: 2}, 2), NOW, languages, TZ)
    assert len(embeds) == len(languages)
    assert embed_size_ok(*embeds)
    labels = [b.label or "" for b in options_view(poll, TZ, NOW, languages).children]  # type: ignore[attr-defined]
    assert labels[0].startswith("1. ")
    assert all(len(label) <= 80 for label in labels)
    english_days = re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b")
    if languages == CY:
        assert labels[0] == "1. Iau 3 Rhag 18:30"
        assert not any(english_days.search(label) for label in labels)
        assert "Rhagfyr" in (embeds[0].description or "")  # the options' dates in words
    if languages == BOTH:
        assert labels[0] == "1. Iau 3 Rhag 18:30 · Thu 03 Dec 18:30"
    if languages == EN:
        assert labels[0] == "1. Thu 03 Dec 18:30"


# --- the organiser's note, the calendar and the Events tab -----------------------------------


def test_welsh_missing_note_only_where_the_server_posts_in_welsh() -> None:
    plain = make_event()
    assert welsh_missing(plain, EN) is None
    assert welsh_missing(plain, CY) == text.EVENT_WELSH_MISSING
    assert welsh_missing(plain, BOTH) == text.EVENT_WELSH_MISSING
    assert welsh_missing(WELSH_EVENT, BOTH) is None
    assert welsh_missing(make_event(title_cy="Cyfarfod"), CY) is not None  # no description_cy
    assert welsh_missing(make_event(title_cy="Cyfarfod", description=None), CY) is None


def unfolded(ics: bytes) -> str:
    return ics.decode().replace("\r\n ", "").replace("\\n", "\n").replace("\\,", ",")


@pytest.mark.parametrize(
    ("languages", "summary"),
    [
        (EN, "S. Wales Network Meeting 4"),
        (CY, "Cyfarfod Rhwydwaith De Cymru 4"),
        (BOTH, "Cyfarfod Rhwydwaith De Cymru 4"),
    ],
    ids=["en", "cy", "bilingual"],
)
def test_calendar_carries_the_welsh(languages: tuple[Language, ...], summary: str) -> None:
    ics = unfolded(event_calendar([WELSH_EVENT], now=NOW, tz=TZ, languages=languages))
    assert f"SUMMARY:{summary}\r\n" in ics
    description = ics.split("DESCRIPTION:", 1)[1]
    welsh, english = WELSH_EVENT.description_cy or "", WELSH_EVENT.description or ""
    assert (welsh in description) is (Language.CY in languages)
    assert (english in description) is (Language.EN in languages)
    if languages == BOTH:
        assert description.index(welsh) < description.index(english)


def test_calendar_in_english_is_unchanged_by_welsh_text() -> None:
    plain = event_calendar([make_event()], now=NOW, tz=TZ)
    assert plain == event_calendar([make_event()], now=NOW, tz=TZ, languages=EN)
    welsh_only = unfolded(event_calendar([make_event()], now=NOW, tz=TZ, languages=CY))
    assert "SUMMARY:S. Wales Network Meeting 4" in welsh_only  # no Welsh: the English


@MODES
def test_events_tab_entry_in_each_mode(languages: tuple[Language, ...]) -> None:
    name, description = native_text(WELSH_EVENT, languages)
    first = languages[0]
    assert name == (WELSH_EVENT.title_cy if first is Language.CY else WELSH_EVENT.title)
    assert (WELSH_EVENT.description_cy in description) is (Language.CY in languages)  # type: ignore[operator]
    assert (WELSH_EVENT.description in description) is (Language.EN in languages)  # type: ignore[operator]


def test_events_tab_entry_at_every_maximum_fits() -> None:
    longest = make_event(
        title="W" * TITLE_MAX,
        title_cy="Ŵ" * TITLE_MAX,
        description="_" * DESCRIPTION_MAX,
        description_cy="ŵ" * DESCRIPTION_MAX,
    )
    name, description = native_text(longest, BOTH)
    assert len(name) <= NATIVE_NAME_MAX and len(description) <= NATIVE_DESCRIPTION_MAX
    assert description.startswith("ŵ") and "\\_" in description


def test_welsh_dates_in_words_are_cldrs_pattern_across_a_year_and_its_clock_changes() -> None:
    """welsh_datetime writes DATETIME_PATTERN out itself (it is in every Welsh post): the
    same words as Babel's format_datetime, every weekday and month, both sides of BST."""
    from babel.dates import format_datetime

    from bot.i18n.dates import DATETIME_PATTERN
    from tests.support.dates import LONDON

    for hours in range(0, 366 * 24, 37):
        at = START + timedelta(hours=hours, minutes=hours % 60)
        local = at.astimezone(LONDON)
        expected = format_datetime(local, DATETIME_PATTERN, tzinfo=local.tzinfo, locale="cy")
        assert welsh_datetime(at, TZ) == expected[:1].upper() + expected[1:]


def test_short_local_times_are_cldrs_patterns_across_a_year_and_its_clock_changes() -> None:
    """short_datetime writes its patterns out too (25 to an autocomplete list): Babel's
    words in Welsh, and English as CLDR's "en" has them, whatever the process's locale."""
    from babel.dates import format_datetime

    from bot.i18n.dates import SHORT_PATTERN, SHORT_YEAR_PATTERN, short_datetime
    from tests.support.dates import LONDON

    for hours in range(0, 366 * 24, 37):
        at = START + timedelta(hours=hours, minutes=hours % 60)
        local = at.astimezone(LONDON)
        for year, pattern in ((False, SHORT_PATTERN), (True, SHORT_YEAR_PATTERN)):
            for in_welsh, locale in ((True, "cy"), (False, "en")):
                expected = format_datetime(local, pattern, tzinfo=local.tzinfo, locale=locale)
                assert short_datetime(at, TZ, welsh=in_welsh, year=year) == expected
