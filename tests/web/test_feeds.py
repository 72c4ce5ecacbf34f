"""Live calendar feeds over HTTP, read back as calendar apps read them (icalendar and ics):
a subscribed calendar follows an edit and a cancellation; tokens are random, kept hashed,
retired by reset; conditional requests get 304; the feed and /events calendar agree."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

import icalendar
import ics
import pytest

from bot.db import Database
from bot.domain.events import Event, Region
from bot.domain.feeds import TOKENS_PER_KIND, token_hash
from bot.domain.guilds import Actor
from bot.domain.rsvps import CANT_EMOJI, GOING_EMOJI, MAYBE_EMOJI
from bot.render.calendar import event_calendar, event_uid
from bot.render.feeds import feed_url, webcal_url
from bot.services.events import EventInput, EventService
from bot.services.feeds import FeedService
from bot.services.ports import Reaction
from bot.services.rsvps import RsvpService
from bot.web.app import PLAIN
from tests.conftest import GUILD
from tests.support.dates import at_local, typed
from tests.support.fakes import FakeClock
from tests.web.conftest import PUBLIC_URL, Running

pytestmark = pytest.mark.usefixtures("configured")

MEMBER = 3
PLAIN_BODY = {"Accept-Encoding": "identity"}


async def make(
    events: EventService, organiser: Actor, clock: FakeClock, title: str, days: int, **more: Any
) -> Event:
    when = typed(at_local(clock(), days=days))
    created = await events.create(
        GUILD, organiser, EventInput(when=when, title=title, **more), None
    )
    return created.event


def path_of(token: str) -> str:
    return f"/feeds/{token}.ics"


async def fetch(web: Running, token: str, **headers: str) -> tuple[Any, bytes]:
    return await web.get(path_of(token), headers=headers)


def vevents(body: bytes) -> dict[str, Any]:
    return {str(v["uid"]): v for v in icalendar.Calendar.from_ical(body).walk("VEVENT")}


def ics_events(body: bytes) -> dict[str, ics.Event]:
    return {e.uid: e for e in ics.Calendar(body.decode("utf-8")).events}


def ics_extra(event: ics.Event, name: str) -> str:
    [value] = [line.value for line in event.extra if line.name == name]
    return str(value)


async def test_a_subscribed_calendar_follows_an_edit_and_a_cancellation(
    web: Running,
    feeds: FeedService,
    events: EventService,
    organiser: Actor,
    clock: FakeClock,
) -> None:
    meeting = await make(events, organiser, clock, "S. Wales Network Meeting 4", 5, reminders="1d")
    issued = await feeds.issue(GUILD, MEMBER, region=None, mine=False, reset=False)
    response, body = await fetch(web, issued.token)
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    uid = event_uid(meeting)
    first = vevents(body)[uid]
    assert int(first["sequence"]) == 0 and str(first["status"]) == "CONFIRMED"
    assert first.decoded("dtstart") == meeting.starts_at
    assert ics_events(body)[uid].begin.datetime == meeting.starts_at
    etag = response.headers["ETag"]

    # The organiser moves it a day later: the calendar's next poll gets the new time.
    clock.advance(minutes=5)
    later = typed(at_local(meeting.starts_at, days=1))  # the next day, whatever the clock
    await events.edit(GUILD, organiser, meeting, EventInput(when=later))
    moved, moved_body = await fetch(web, issued.token, **{"If-None-Match": etag})
    assert moved.status == 200 and moved.headers["ETag"] != etag
    second = vevents(moved_body)[uid]
    assert int(second["sequence"]) == 1
    assert second.decoded("dtstart") == meeting.starts_at + timedelta(days=1)
    ics_second = ics_events(moved_body)[uid]
    assert ics_second.begin.datetime == meeting.starts_at + timedelta(days=1)
    assert ics_extra(ics_second, "SEQUENCE") == "1"

    # Then cancels it: it stays, cancelled, with a higher SEQUENCE, so calendars remove it.
    clock.advance(minutes=5)
    await events.cancel(GUILD, organiser, meeting.id, "Venue flooded")
    gone, gone_body = await fetch(web, issued.token, **{"If-None-Match": moved.headers["ETag"]})
    assert gone.status == 200
    third = vevents(gone_body)[uid]
    assert str(third["status"]) == "CANCELLED" and int(third["sequence"]) == 2
    assert ics_events(gone_body)[uid].status == "CANCELLED"
    assert parsedate_to_datetime(gone.headers["Last-Modified"]) == clock()

    # 29 days after it would have ended it is still there; after 30 it has left the feed.
    ends = meeting.ends_at + timedelta(days=1)
    clock.set(ends + timedelta(days=29))
    _, still = await fetch(web, issued.token)
    assert uid in vevents(still)
    clock.set(ends + timedelta(days=30, seconds=1))
    _, left = await fetch(web, issued.token)
    assert uid not in vevents(left)


async def test_the_feed_and_the_calendar_file_are_the_same_calendar(
    web: Running,
    feeds: FeedService,
    events: EventService,
    organiser: Actor,
    clock: FakeClock,
) -> None:
    await make(events, organiser, clock, "Policy Cafe", 3, reminders="7d,1h")
    await make(events, organiser, clock, "Meeting, with; commas\nand a line", 9)
    calendar = await events.for_calendar(GUILD, None)
    file = event_calendar(calendar.events, now=calendar.at, tz=calendar.tz)
    issued = await feeds.issue(GUILD, MEMBER, region=None, mine=False, reset=False)
    _, body = await fetch(web, issued.token)
    from_file, from_feed = vevents(file), vevents(body)
    assert list(from_file) == list(from_feed)
    for uid, vevent in from_file.items():
        fed = from_feed[uid]
        for prop in ("summary", "dtstart", "dtend", "sequence", "status", "description"):
            assert fed.get(prop) == vevent.get(prop), prop
        alarms = [a.decoded("trigger") for a in vevent.walk("VALARM")]
        assert [a.decoded("trigger") for a in fed.walk("VALARM")] == alarms
    whole = icalendar.Calendar.from_ical(body)
    assert str(whole["x-wr-calname"]) == "Co-production network events"
    assert whole.decoded("refresh-interval") == timedelta(hours=1)
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in body
    assert b"X-PUBLISHED-TTL:PT1H\r\n" in body
    assert len(ics.Calendar(body.decode()).events) == 2


async def test_conditional_requests_get_304_and_head_works(
    web: Running,
    feeds: FeedService,
    events: EventService,
    organiser: Actor,
    clock: FakeClock,
) -> None:
    await make(events, organiser, clock, "Policy Cafe", 3)
    issued = await feeds.issue(GUILD, MEMBER, region=None, mine=False, reset=False)
    clock.advance(minutes=1)
    response, body = await fetch(web, issued.token, **PLAIN_BODY)
    etag, modified = response.headers["ETag"], response.headers["Last-Modified"]
    assert etag == '"' + hashlib.sha256(body).hexdigest() + '"'
    assert "Content-Encoding" not in response.headers
    assert response.headers["Cache-Control"] == "private, max-age=900"
    assert response.headers["Vary"] == "Accept-Encoding"
    # Polled again, unchanged: the same bytes (DTSTAMP is the latest change, not the poll).
    clock.advance(minutes=30)
    again, again_body = await fetch(web, issued.token, **PLAIN_BODY)
    assert again_body == body and again.headers["ETag"] == etag
    # Asked with gzip (as calendar apps ask): the same calendar, compressed, its own tag.
    zipped, unzipped = await fetch(web, issued.token)
    assert zipped.headers["Content-Encoding"] == "gzip" and unzipped == body
    assert zipped.headers["ETag"] == etag[:-1] + '-gzip"'
    for sent in (etag, zipped.headers["ETag"]):  # either tag is the current feed
        assert (await fetch(web, issued.token, **{"If-None-Match": sent}))[0].status == 304

    for sent in (etag, f'"other", {etag}', "*", f"W/{etag}"):
        not_modified, empty = await fetch(
            web, issued.token, **{"If-None-Match": sent}, **PLAIN_BODY
        )
        assert not_modified.status == 304, sent
        assert empty == b"" and not_modified.headers["ETag"] == etag
        assert "Server" not in not_modified.headers
    for sent in ('"other"', etag[:-2] + '"', "garbage"):
        changed, full = await fetch(web, issued.token, **{"If-None-Match": sent})
        assert changed.status == 200 and full == body, sent
    # If-None-Match wins over If-Modified-Since when both are sent.
    both, _ = await fetch(
        web, issued.token, **{"If-None-Match": '"other"', "If-Modified-Since": modified}
    )
    assert both.status == 200

    since, _ = await fetch(web, issued.token, **{"If-Modified-Since": modified})
    assert since.status == 304
    last = parsedate_to_datetime(modified)
    before = format_datetime(last - timedelta(seconds=1), usegmt=True)
    older, _ = await fetch(web, issued.token, **{"If-Modified-Since": before})
    assert older.status == 200
    unreadable, _ = await fetch(web, issued.token, **{"If-Modified-Since": "last tuesday"})
    assert unreadable.status == 200
    ahead = format_datetime(clock() + timedelta(days=1), usegmt=True)  # a clock that's ahead
    assert (await fetch(web, issued.token, **{"If-Modified-Since": ahead}))[0].status == 200

    head, head_body = await web.get(path_of(issued.token), "HEAD", headers=PLAIN_BODY)
    assert head.status == 200 and head_body == b""
    assert head.headers["ETag"] == etag and head.headers["Content-Length"] == str(len(body))
    assert head.headers["Content-Type"] == "text/calendar; charset=utf-8"


async def test_reset_retires_the_old_address(
    web: Running, feeds: FeedService, events: EventService, organiser: Actor, clock: FakeClock
) -> None:
    await make(events, organiser, clock, "Policy Cafe", 3)
    first = await feeds.issue(GUILD, MEMBER, region=None, mine=False, reset=False)
    second = await feeds.issue(GUILD, MEMBER, region=None, mine=False, reset=False)
    assert first.token != second.token and second.retired == 0
    mine = await feeds.issue(GUILD, MEMBER, region=None, mine=True, reset=False)
    for token in (first.token, second.token, mine.token):
        assert (await fetch(web, token))[0].status == 200
    fresh = await feeds.issue(GUILD, MEMBER, region=None, mine=False, reset=True)
    assert fresh.retired == 2
    for token in (first.token, second.token):
        response, body = await fetch(web, token)
        assert response.status == 404 and body.decode() == PLAIN[404]
    assert (await fetch(web, fresh.token))[0].status == 200
    assert (await fetch(web, mine.token))[0].status == 200  # another kind: untouched


async def test_a_member_keeps_a_few_addresses_of_a_kind_at_most(
    web: Running, feeds: FeedService
) -> None:
    issued = [
        await feeds.issue(GUILD, MEMBER, region=Region.NORTH, mine=False, reset=False)
        for _ in range(TOKENS_PER_KIND + 1)
    ]
    assert (await fetch(web, issued[0].token))[0].status == 404  # the oldest retired
    for one in issued[1:]:
        assert (await fetch(web, one.token))[0].status == 200


async def test_tokens_are_random_kept_hashed_and_malformed_ones_are_404(
    web: Running, feeds: FeedService, db: Database
) -> None:
    issued = await feeds.issue(GUILD, MEMBER, region=None, mine=False, reset=False)
    assert len(issued.token) == 32
    async with db.reading() as conn:
        rows = await conn.execute_fetchall("SELECT * FROM feed_tokens")
    [row] = [dict(r) for r in rows]
    assert row["token_hash"] == token_hash(issued.token)
    assert issued.token not in str(row)
    nearly = issued.token[:-1] + ("A" if issued.token[-1] != "A" else "B")
    for bad in (nearly, issued.token[:-1], issued.token + "A", "x" * 32, row["token_hash"]):
        response, body = await fetch(web, bad)
        assert response.status == 404 and body.decode() == PLAIN[404], bad
    for path in (
        f"/feeds/{issued.token}",
        f"/feeds/{issued.token}.ICS",
        f"/feeds/{issued.token}.ics/x",
    ):
        assert (await web.get(path))[0].status == 404
    assert await feeds.resolve("../../etc/passwd") is None
    assert await feeds.resolve(issued.token) is not None


async def test_region_narrows_and_mine_is_what_the_member_answered(
    web: Running,
    feeds: FeedService,
    events: EventService,
    rsvps: RsvpService,
    organiser: Actor,
    clock: FakeClock,
) -> None:
    south = await make(events, organiser, clock, "South", 3, region=Region.SOUTH)
    north = await make(events, organiser, clock, "North", 4, region=Region.NORTH)
    maybe = await make(events, organiser, clock, "Maybe", 5, region=Region.SOUTH)
    cant = await make(events, organiser, clock, "Cant", 6, region=Region.SOUTH)
    full = await make(events, organiser, clock, "Full", 7, capacity=1)
    await make(events, organiser, clock, "Unanswered", 8)
    reactions = [
        (north, MEMBER, GOING_EMOJI),
        (maybe, MEMBER, MAYBE_EMOJI),
        (cant, MEMBER, CANT_EMOJI),
        (full, 99, GOING_EMOJI),
        (full, MEMBER, GOING_EMOJI),  # waitlisted: said going
        (south, 98, GOING_EMOJI),  # someone else
    ]
    clock.advance(minutes=3)
    await rsvps.apply(
        [Reaction(True, e.message_id or 0, user, emoji) for e, user, emoji in reactions]
    )

    async def titles(region: Region | None, mine: bool) -> list[str]:
        issued = await feeds.issue(GUILD, MEMBER, region=region, mine=mine, reset=False)
        _, body = await fetch(web, issued.token)
        calendar = icalendar.Calendar.from_ical(body)
        return [str(v["summary"]) for v in calendar.walk("VEVENT")]

    assert await titles(Region.SOUTH, False) == ["South", "Maybe", "Cant"]
    assert await titles(None, True) == ["North", "Maybe", "Full"]
    assert await titles(Region.SOUTH, True) == ["Maybe"]
    everything = await titles(None, False)
    assert everything == ["South", "North", "Maybe", "Cant", "Full", "Unanswered"]

    # A personal feed changes when the member's answer does, and says so in Last-Modified.
    issued = await feeds.issue(GUILD, MEMBER, region=None, mine=True, reset=False)
    before, _ = await fetch(web, issued.token)
    clock.advance(minutes=10)
    assert north.message_id is not None
    await rsvps.apply([Reaction(True, north.message_id, MEMBER, CANT_EMOJI)])
    after, after_body = await fetch(
        web, issued.token, **{"If-Modified-Since": before.headers["Last-Modified"]}
    )
    assert after.status == 200
    assert parsedate_to_datetime(after.headers["Last-Modified"]) == clock()
    assert "North" not in {str(v["summary"]) for v in vevents(after_body).values()}

    # Taking an answer back deletes it (nothing left to date): judged by the ETag alone.
    clock.advance(minutes=10)
    assert maybe.message_id is not None
    await rsvps.apply([Reaction(False, maybe.message_id, MEMBER, MAYBE_EMOJI)])
    dated, dated_body = await fetch(
        web, issued.token, **{"If-Modified-Since": after.headers["Last-Modified"]}
    )
    assert dated.status == 200
    assert "Maybe" not in {str(v["summary"]) for v in vevents(dated_body).values()}
    tagged, _ = await fetch(web, issued.token, **{"If-None-Match": dated.headers["ETag"]})
    assert tagged.status == 304


async def test_other_servers_events_never_show(
    web: Running, feeds: FeedService, events: EventService, organiser: Actor, clock: FakeClock
) -> None:
    await make(events, organiser, clock, "Ours", 3)
    elsewhere = await feeds.issue(GUILD + 1, MEMBER, region=None, mine=False, reset=False)
    response, body = await fetch(web, elsewhere.token)
    assert response.status == 200
    assert vevents(body) == {}
    assert icalendar.Calendar.from_ical(body).get("x-wr-calname") is not None


def test_the_url_and_its_webcal_form() -> None:
    url = feed_url(PUBLIC_URL, "abc")
    assert url == "https://bot.example.org/feeds/abc.ics"
    assert webcal_url(url) == "webcal://bot.example.org/feeds/abc.ics"
    assert webcal_url("http://localhost:8080/feeds/abc.ics") == (
        "webcal://localhost:8080/feeds/abc.ics"
    )


async def test_a_feed_is_stamped_with_its_latest_change(
    web: Running, feeds: FeedService, clock: FakeClock
) -> None:
    made = clock()
    issued = await feeds.issue(GUILD, MEMBER, region=None, mine=False, reset=False)
    clock.advance(hours=2)
    response, _ = await fetch(web, issued.token)
    assert parsedate_to_datetime(response.headers["Last-Modified"]) == made
    assert isinstance(made, datetime)


async def test_mydata_shows_feed_addresses_and_forget_stops_them(
    web: Running,
    feeds: FeedService,
    db: Database,
    clock: FakeClock,
    post_touch: Any,
    reminders: Any,
) -> None:
    from bot.services.privacy import PrivacyService

    privacy = PrivacyService(db, clock, post_touch, reminders)
    server = await feeds.issue(GUILD, MEMBER, region=Region.SOUTH, mine=False, reset=False)
    mine = await feeds.issue(GUILD, MEMBER, region=None, mine=True, reset=False)
    other = await feeds.issue(GUILD, MEMBER + 1, region=None, mine=True, reset=False)
    held = (await privacy.mydata(MEMBER))["data"]["calendar_feeds"]
    assert [(row["feed"], row["region"]) for row in held] == [
        ("server", "South Wales"),
        ("mine", None),
    ]
    assert server.token not in str(held) and token_hash(server.token) not in str(held)
    for token in (server.token, mine.token):  # served, and so kept in memory, before
        assert (await fetch(web, token))[0].status == 200
    forgotten = await privacy.forget(MEMBER, GUILD)
    assert forgotten.removed["calendar_feeds"] == 2
    for token in (server.token, mine.token):
        assert (await fetch(web, token))[0].status == 404
    assert (await fetch(web, other.token))[0].status == 200
    assert (await privacy.mydata(MEMBER))["data"]["calendar_feeds"] == []


async def test_a_rendered_feed_is_kept_until_what_it_shows_changes(
    web: Running,
    feeds: FeedService,
    events: EventService,
    guilds: Any,
    organiser: Actor,
    admin: Actor,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.web import feeds as web_feeds

    renders: list[int] = []
    real = web_feeds.event_calendar

    def counting(found: Any, **options: Any) -> bytes:
        renders.append(len(found))
        return real(found, **options)

    monkeypatch.setattr(web_feeds, "event_calendar", counting)
    await make(events, organiser, clock, "Policy Cafe", 3)
    one = await feeds.issue(GUILD, MEMBER, region=None, mine=False, reset=False)
    two = await feeds.issue(GUILD, MEMBER + 1, region=None, mine=False, reset=False)
    results = await asyncio.gather(*(fetch(web, t) for t in [one.token, two.token] * 10))
    assert renders == [1]  # twenty polls of two URLs of the same feed: one rendering
    assert len({r.headers["ETag"] for r, _ in results}) == 1
    assert {body for _, body in results} == {results[0][1]}

    clock.advance(minutes=1)
    await make(events, organiser, clock, "Second", 4)
    _, body = await fetch(web, one.token)
    assert renders == [1, 2] and len(vevents(body)) == 2

    # The server's zone changes: the same events, written in the new zone.
    await guilds.set_timezone(GUILD, admin, "Europe/Dublin")
    _, dublin = await fetch(web, one.token)
    assert renders == [1, 2, 2]
    assert b"TZID=Europe/Dublin" in dublin and b"TZID=Europe/London" not in dublin
