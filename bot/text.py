"""Every sentence a member reads, in one catalogue (a Welsh catalogue will sit beside it).

Render functions and the error handler assemble these; nothing else writes member-facing
prose. Placeholders are `str.format` fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

WHEN_EXAMPLES = (
    "Try `2026-12-03 18:30`, `3 Dec 6:30pm`, `05/06/2027 10:00` (day first), "
    "`next tuesday 7pm` or `tomorrow 10am`."
)

ERRORS: dict[str, str] = {
    # times and durations
    "when_empty": "Please say when it starts. " + WHEN_EXAMPLES,
    "when_unreadable": "I couldn't read “{text}” as a date and time. " + WHEN_EXAMPLES,
    "when_no_time": "“{text}” has no time of day. Add one, like `18:30` or `6:30pm`. "
    + WHEN_EXAMPLES,
    "when_past": "“{text}” is {at_full}, which has already passed. Give a time in the future.",
    "when_too_far": "“{text}” is {at_full}, more than five years away. Check the year.",
    "when_nonexistent": "{local} doesn't exist in {tz}: the clocks go forward an hour that "
    "night. Pick a time before or after the jump, e.g. an hour later.",
    "duration_unreadable": "I couldn't read “{text}” as a length of time. "
    "Use hours and minutes, like `2h`, `90m` or `1h30m`.",
    "duration_out_of_range": "The duration “{text}” must be more than zero and at most a "
    "week (`7d`).",
    "offsets_unreadable": "I couldn't read “{text}” as reminder times. Use amounts before "
    "the start with a unit, separated by commas, like `7d,1d,1h` or `30m`.",
    "offset_out_of_range": "Each reminder time in “{text}” must be between 1 minute (`1m`) "
    "and 60 days (`60d`) before the start.",
    "offsets_too_many": "“{text}” asks for {count} reminders; an event can have at most "
    "{limit}. Keep the ones that matter most, like `7d,1d,1h`.",
    "reminders_out_of_range": "Each reminder time in “{text}” must be from 5 minutes (`5m`) "
    "to 28 days (`28d`) before the start.",
    "offsets_repeated": "“{text}” gives the same reminder time twice ({same}). Give each "
    "time once, like `7d,1d,1h`.",
    "timezone_unknown": "“{zone}” isn't a time zone I know. Use a name like `Europe/London` "
    "(pick one from the list as you type).",
    "time_of_day_unreadable": "I couldn't read “{text}” as a time of day. Use `09:00` or `9am`.",
    "digest_early_hours": "Times between 01:00 and 02:00 are skipped or repeated when the "
    "clocks change. Pick another time, e.g. `09:00`.",
    "retention_out_of_range": "{months} can't be the retention: give a whole number of months "
    "from 1 to {limit}, like `24` (two years).",
    # member text
    "too_long": "The {field} is {length} characters long; the most is {limit}. Please shorten it.",
    "title_missing": "Please give the event a `title`.",
    "reminder_one_offset": "Give one time before the start, like `30m`, `2h` or `1d`.",
    "reminder_too_late": "That reminder would fall before now: **{title}** starts {at_full}. "
    "Pick a shorter time before it.",
    "reminder_duplicate": "You already have that reminder for **{title}**.",
    "reminder_limit_event": "You already have {limit} reminders for **{title}**, the most "
    "for one event. To add another, first cancel one with `/reminders cancel`.",
    "reminder_limit_upcoming": "You already have {limit} upcoming reminders, the most one "
    "member can have. To add another, first cancel one with `/reminders cancel` "
    "(`/reminders list` shows them).",
    "reminder_not_found": "I couldn't find that reminder of yours. Pick one from the list as "
    "you type; `/reminders list` shows them.",
    "series_not_found": "I couldn't find a series called “{text}”. Pick one from the list as "
    "you type, or define it with `/events series`.",
    "series_name_missing": "Please give the series a `name`.",
    "series_too_many_hosts": "A rota can have at most {limit} hosts.",
    "series_number_out_of_range": "The meeting number must be from 1 to {limit}.",
    "series_busy": "Another meeting of {name} was being created at the same moment. "
    "Please run the command again.",
    "network_organisation_missing": "Please give your `organisation`.",
    "network_not_member": "You're not on the network list, so there was nothing to leave.",
    "capacity_out_of_range": "The capacity must be a whole number from 1 to {limit}.",
    # events
    "event_not_found": "I couldn't find an event matching “{text}”. Pick one from the list "
    "as you type.",
    "event_ambiguous": "Several events are called “{text}”. Pick the one you mean from the "
    "list as you type.",
    "edit_nothing": "That edit changes nothing. Give at least one option to change.",
    "event_cancelled_already": "“{title}” has been cancelled, so it can't be changed.",
    "event_over": "“{title}” has already finished, so it can't be changed.",
    "cancel_not_yours": "Only the organiser who asked to cancel can confirm it.",
    "no_announcements_channel": "There's no announcements channel yet. Give `channel:` here, "
    "or ask an administrator to run `/setup channel`.",
    "channel_not_text": "{channel} isn't a text channel I can post in. Pick a text channel.",
    "cannot_post": "I can't post in {channel}. Give me View Channel, Send Messages, Embed "
    "Links and Add Reactions there, or pick another channel.",
    # permissions and places
    "not_organiser": "Only organisers can do that: members with Manage Events, or the "
    "organiser role. Ask an organiser if you need something changed.",
    "not_admin": "Only server managers (Manage Server) can change the bot's settings.",
    "guild_only": "That works inside the network's server, not in direct messages.",
    "channel_not_yours": "You can't see or send messages in {channel}, so I won't post there "
    "for you. Pick a channel you can post in, or leave `channel` out to use the "
    "announcements channel.",
    "server_loading": "I'm still loading this server after starting up. Please try again "
    "in a few seconds.",
    "slow_down": "That's a lot at once, so I didn't do that one. Please slow down and try "
    "again in {seconds} s.",
    "role_everyone": "Pick a real role, not @everyone.",
    "page_expired": "This list is out of date. Run the command again.",
    "database_busy": "I'm busy saving something else. Please try again in a moment.",
    "database_readonly": "I can't save anything right now. Please tell an organiser, "
    "who can check the bot's log.",
}

# Direct messages to members, by key (see bot.domain.notices.Notice).
NOTICES: dict[str, str] = {
    "rsvp_waitlisted": "**{title}** ({at_full}) is full, so you're on the waitlist: number "
    "{place}. I'll message you if a place frees up. Take your ✅ off to leave the waitlist.",
    "rsvp_promoted": "A place has freed up at **{title}** ({at_full}): you're now going. "
    "If you can't make it, take your ✅ off the announcement.",
    "rsvp_closed_started": "**{title}** has already started, so RSVPs are closed; I took "
    "your reaction off.",
    "rsvp_closed_cancelled": "**{title}** has been cancelled, so RSVPs are closed; I took "
    "your reaction off.",
    "reminder_auto": "Reminder: **{title}** starts {at_rel}, {at_full}. "
    "(Switch these DMs off with `/reminders dms enabled:False`.)",
    "reminder_personal": "Your reminder: **{title}** starts {at_rel}, {at_full}.",
    "event_moved": "**{title}** has moved: it now starts {at_full} ({at_rel}). "
    "If you can't make the new time, change your reaction on the announcement.",
    "event_place_changed": "**{title}** ({at_full}) has a new place: {place}.",
    "event_cancelled": "**{title}** ({at_full}) has been cancelled. {reason}",
}

REMINDER_POST = "⏰ **{title}** starts {at_rel}, {at_full}. {counts}"
REMINDER_UNREACHABLE = "I couldn't DM {members}: please open your DMs to get reminders."
DIGEST_TITLE = "Coming up in the network"
REMINDER_ADDED = "I'll DM you {before} before **{title}**, at {due_full}."
REMINDERS_MINE_TITLE = "Your reminders"
REMINDERS_MINE_EMPTY = "You have no reminders set. Add one with `/reminders add`."
REMINDERS_MINE_LINE = "**{title}** · {before} before, at {due_full}"
REMINDERS_MINE_MORE = (
    "…and {count} more after these. Type an event's name in `/reminders cancel` to find any "
    "of yours."
)
REMINDER_CANCELLED = "Cancelled your reminder for **{title}**."
REMINDER_CHOICE = "{before} before {title} · {due}"  # an autocomplete choice: plain text
REMINDER_DMS_ON = "Reminder DMs are on: I'll DM you before events you're going to or might go to."
REMINDER_DMS_OFF = (
    "Reminder DMs are off: you'll still see reminders in the channel, and your own "
    "`/reminders add` reminders still come."
)

INTERNAL_ERROR = (
    "Sorry, something went wrong on my side (reference `{code}`). Nothing was changed. "
    "Please try again; if it keeps happening, tell an organiser and quote the reference."
)

# /events replies and posts
EVENT_CREATED = "Posted **{title}** for {when_full} ({when_rel}): {link}"
EVENT_CREATED_AMBIGUOUS = (
    "Note: the clocks go back that night, so {local} happens twice; I took the first one "
    "(summer time). Edit the event if you meant the second."
)
EVENT_EDITED = "Updated **{title}**: {changes}. {link}"
EVENT_REPOSTED = "The announcement had been deleted, so I posted it again: {link}"
EVENT_CANCEL_CONFIRM = (
    "Cancel **{title}** on {when_full}? Everyone will see it marked cancelled. "
    "This can't be undone."
)
EVENT_CANCEL_CONFIRM_REASON = "Reason given: {reason}"
EVENT_CANCELLED = "Cancelled **{title}**. The announcement now says so. {link}"
EVENT_CANCEL_KEPT = "Kept **{title}**; nothing was changed."
EVENT_CANCEL_TIMEOUT = "No answer, so **{title}** was not cancelled."
BUTTON_CANCEL_CONFIRM = "Cancel the event"
BUTTON_CANCEL_KEEP = "Keep it"
NO_POST_LINK = "(no post)"
CHANGE_NAMES = {
    "title": "title",
    "time": "time",
    "place": "place",
    "host": "host",
    "region": "region",
    "kind": "kind",
    "description": "description",
    "capacity": "capacity",
    "reminders": "reminders",
}

EMBED_WHEN = "When"
EMBED_ENDS = "Until {end_time} ({duration})"
EMBED_WHERE = "Where"
EMBED_HOST = "Hosted by"
EMBED_REGION = "Region"
EMBED_KIND = "Kind"
EMBED_CANCELLED_TITLE = "CANCELLED: {title}"
EMBED_CANCELLED_REASON = "Reason"
EMBED_FOOTER = "Event #{id}"
ANNOUNCE_PING = "{role} a new event has been announced."

KIND_NAMES = {
    "meeting": "Meeting",
    "symposium": "Symposium",
    "conference": "Conference",
    "seminar": "Seminar",
    "workshop": "Workshop",
    "visit": "Visit",
    "campaign": "Campaign",
    "other": "Other",
}

UPCOMING_TITLE = "Upcoming events"
PAST_TITLE = "A look at what's happened so far"
LIST_FILTERED = "Showing {filters}."
LIST_EMPTY_UPCOMING = "No upcoming events{filters}. Organisers can add one with `/events create`."
LIST_EMPTY_PAST = "No past events{filters} yet."
LIST_PAGE = "Page {page} of {pages} · {total} events"
CHOICE_CANCELLED = "[cancelled]"
LIST_LINK = "[announcement]({link})"
BUTTON_CALENDAR = "Add to calendar"
CALENDAR_ONE = "Here is **{title}** as a calendar file: open it to add it to your calendar."
CALENDAR_ALL = "Here are the network's upcoming events as a calendar file ({count} events)."
CALENDAR_HOST = "Hosted by {host}"
CALENDAR_LINK = "Announcement: {link}"
CALENDAR_NAME = "Co-production network events"
CALENDAR_NONE = "There are no upcoming events to put in a calendar yet."
# /events subscribe and the live feeds (bot/web/feeds.py).
FEED_NAME_MINE = "My co-production network events"
FEED_NAME_REGION = "{name} · {region}"
SUBSCRIBE_SERVER = "Here is the network's live calendar feed{narrowed}"
SUBSCRIBE_MINE = (
    "Here is your own live calendar feed{narrowed}: the events you said going or maybe to"
)
SUBSCRIBE_REGION = " for {region}"
SUBSCRIBE_HOW = (
    "{what}. Add it to your calendar app as a subscription (“From URL”, “Subscribe to "
    "calendar”) and it keeps itself up to date, cancellations included:\n<{url}>\n"
    "Apple Calendar and most phones open this form of it directly: `{webcal}`\n"
    "Keep the address to yourself: anyone who has it can read the feed. "
    "`/events subscribe reset:True` gives a new address and stops the old ones."
)
SUBSCRIBE_RESET = "Your earlier address for this feed has stopped working."
SUBSCRIBE_RESET_MANY = "Your {count} earlier addresses for this feed have stopped working."
SUBSCRIBE_WEB_OFF = (
    "The organisers haven't turned on the bot's web server, so there are no live calendar "
    "feeds yet. `/events calendar` gives you a calendar file of the upcoming events meanwhile."
)
BUTTON_PREVIOUS = "Previous"
BUTTON_NEXT = "Next"

RSVP_FIELD = "RSVPs"
RSVP_COUNTS = "✅ {going} going · 🤔 {maybe} maybe · ❌ {cant} can't go"
RSVP_COUNTS_WAITLIST = " · ⏳ {waitlist} on the waitlist"
RSVP_HOW = "React ✅ going · 🤔 maybe · ❌ can't go. Take your reaction off to withdraw."
ATTENDEES_TITLE = "Attendees: {title}"
ATTENDEES_GOING = "✅ Going ({count})"
ATTENDEES_MAYBE = "🤔 Maybe ({count})"
ATTENDEES_CANT = "❌ Can't go ({count})"
ATTENDEES_WAITLIST = "⏳ Waitlist ({count})"
ATTENDEES_NONE = "nobody yet"
ATTENDEES_MORE = "…and {count} more (see the CSV file)"
ATTENDEES_ERASED = (
    "{count} more whose names were erased after the server's retention time (only the count "
    "is kept)"
)
ATTENDEES_CSV_HEADER = ("status", "place", "user_id", "member", "answered_at_utc")
ATTENDEE_STATUS = {"going": "going", "maybe": "maybe", "cant": "can't go", "waitlist": "waitlist"}

SERIES_FIELD = "Series"
SERIES_PLACE = "Meeting {number} of {name}"
SERIES_HISTORY_LINE = "{number}: hosted by {host}, {date}"
SERIES_NO_HOST = "no host recorded"
SERIES_CANCELLED = "(cancelled)"
SERIES_NO_ROTA = "no rota yet"
SERIES_ROTA_MORE = "{hosts} and {count} more"
SERIES_CREATED = (
    "Defined the series **{name}**. The next meeting will be number {next}; rota: {rota}. "
    "Use `/events create series:` to announce it."
)
SERIES_UPDATED = "Updated **{name}**: the next meeting is number {next}; rota: {rota}."

INFO_CREATED = "Announced by <@{user_id}> on {created}"

# /setup
SETUP_TITLE = "Bot settings for this server"
SETUP_CHANNEL = "Announcements channel"
SETUP_ORGANISER_ROLE = "Organiser role"
SETUP_PING_ROLE = "Role pinged for new events"
SETUP_TIMEZONE = "Time zone"
SETUP_REMINDERS = "Default reminders before events"
SETUP_DIGEST = "Weekly digest"
SETUP_DIGEST_ON = "On: {day} at {time} ({tz})"
SETUP_DIGEST_OFF = "Off"
SETUP_RETENTION = "Kept after events and letters end"
SETUP_RETENTION_VALUE = (
    "{months} months: then who answered an event or signed a letter is erased (counts stay)"
)
SETUP_MIRROR = "Discord Events tab"
SETUP_MIRROR_ON = "On: events are mirrored there"
SETUP_MIRROR_OFF = "Off: {problem}"
MIRROR_NO_PERMISSION = (
    "I don't have Manage Events, so I can't add events to the Events tab. Give my role "
    "Manage Events (Server Settings → Roles) to turn it on."
)
MIRROR_NO_SERVER = "I can't see this server's details just now."
MIRROR_FAILED = "Discord refused the last change ({error})."
MIRROR_NO_PLACE = "See the announcement"
SETUP_NOT_SET = "not set"
SETUP_NO_PING = "no ping"
SETUP_ORGANISERS_NOTE = "Members with Manage Events or Administrator are always organisers."
SETUP_SAVED_CHANNEL = "New events will be announced in {channel}."
SETUP_SAVED_ORGANISER_ROLE = "Members with {role} can now organise events and letters."
SETUP_SAVED_PING_ROLE = "New events will ping {role}."
SETUP_SAVED_NO_PING = "New events won't ping anyone."
SETUP_SAVED_TIMEZONE = (
    "Times typed in this server are now read as {tz} time (it is {local} there now)."
)
SETUP_SAVED_REMINDERS = "New events will get reminders {offsets} before they start."
SETUP_SAVED_DIGEST_ON = "The weekly digest will post on {day}s at {time} ({tz})."
SETUP_SAVED_DIGEST_OFF = "The weekly digest is switched off."
SETUP_SAVED_RETENTION = (
    "Saved: {months} months after an event ends or a letter closes, who answered or signed "
    "is erased; the counts stay. Anything already older goes in the next daily tidy-up."
)

HELP_TITLE = "Co-pro Network Bot"
HELP_INTRO = (
    "I look after the network's organising: announcing meetings and events, with times "
    "shown in your own time zone."
)
HELP_EVERYONE = "For everyone"
HELP_ORGANISERS = "For organisers"
HELP_ADMINS = "For server managers"
HELP_EVERYONE_LINES = (
    "`/events upcoming` what's coming up, by region or kind\n"
    "`/events past` a look at what's happened so far\n"
    "`/events info` everything about one event\n"
    "`/events calendar` a calendar file of one event or all upcoming (or press 📅)\n"
    "`/events subscribe` a live calendar feed that keeps itself up to date\n"
    "React ✅ 🤔 ❌ on an announcement to say whether you're going\n"
    "`/reminders add` a DM of your own before an event; `/reminders list`, `/reminders cancel`\n"
    "`/reminders dms` switch automatic reminder DMs off or on\n"
    "`/help` this message"
)
HELP_ORGANISER_LINES = (
    "`/events create` announce an event (`when` like `3 Dec 6:30pm`)\n"
    "`/events edit` change an event; type `-` to clear a field\n"
    "`/events cancel` cancel an event, with a confirmation\n"
    "`/events attendees` who's going, with a CSV file\n"
    "`/events series` a numbered meeting series with a rota of hosts\n"
    "`/events create reminders:7d,1d,1h` choose when reminders go out"
)
HELP_ADMIN_LINES = (
    "`/setup show` the current settings\n"
    "`/setup channel` where events are announced\n"
    "`/setup organiser-role` who may organise\n"
    "`/setup ping-role` who is pinged for new events\n"
    "`/setup timezone` the zone times are typed in\n"
    "`/setup reminders` default reminder times\n"
    "`/setup digest` the weekly digest\n"
    "`/setup retention` how long who answered or signed is kept"
)
HELP_FOOTER = "All my replies to you are private: only you can see them."


def fill(template: str, params: Mapping[str, object]) -> str:
    """Fill a sentence; each datetime param `x` also fills `{x_full}` and `{x_rel}` as Discord
    timestamps (unless given: a Welsh date in words); member text params are made safe by
    the caller."""
    fields = dict(params)
    for name, value in params.items():
        if isinstance(value, datetime):
            fields.setdefault(f"{name}_full", f"<t:{int(value.timestamp())}:F>")
            fields.setdefault(f"{name}_rel", f"<t:{int(value.timestamp())}:R>")
    return template.format(**fields)


def error_text(key: str, **params: object) -> str:
    return fill(ERRORS[key], params)


def notice_text(key: str, params: Mapping[str, object]) -> str:
    return fill(NOTICES[key], params)


# --- network and privacy
NETWORK_STATS_TITLE = "The network"
NETWORK_HEADLINE = "{people} members from {organisations} organisations"
NETWORK_EMPTY = "Nobody has joined yet. Join with `/network join`."
NETWORK_REGION_LINE = "{people} members · {organisations} organisations"
NETWORK_NO_REGION = "Region not given"
NETWORK_JOINED = "Welcome to the network: you're listed with {organisation}{region}."
NETWORK_UPDATED = "Updated: you're listed with {organisation}{region}."
NETWORK_LEFT = "You've left the network list. Your RSVPs and signatures are unchanged."
PRIVACY_MYDATA = (
    "Here is everything I hold about you, as a JSON file. `/privacy forget` deletes it."
)
PRIVACY_FORGET_CONFIRM = (
    "Delete everything I hold about you: your RSVPs, letter signatures, date poll answers, "
    "reminders, reminder settings and network profile? Events, letters and polls you created "
    "stay, without your name. This can't be undone."
)
PRIVACY_FORGET_BUTTON = "Delete my data"
PRIVACY_KEEP_BUTTON = "Keep it"
PRIVACY_KEPT = "Nothing was deleted."
PRIVACY_FORGOTTEN = "Done. Removed: {parts}."
PRIVACY_NOTHING = "I held nothing about you, so there was nothing to delete."
PRIVACY_REACTIONS_LEFT = (
    "Some of your RSVP reactions are still on posts. They no longer count as answers; to "
    "take them off, click each one yourself:"
)
PRIVACY_REACTION_REFUSED = "• your {emoji} on {link}: I may not remove reactions in {channel}"
PRIVACY_REACTION_FAILED = "• your {emoji} on {link}: Discord did not let me remove it just now"
PRIVACY_REACTIONS_MORE = "• and {count} more post(s): `/privacy mydata` lists them"
PRIVACY_REACTIONS_KEPT = (
    "Until they are gone I keep only which post and which reaction, so that they are never "
    "counted again."
)
PRIVACY_SECTIONS = {
    "rsvps": "{count} RSVP(s)",
    "signatures": "{count} signature(s)",
    "reminders": "{count} reminder(s)",
    "reminders_received": "{count} record(s) of reminders sent to you",
    "reminder_settings": "your reminder settings",
    "network_profile": "your network profile",
    "calendar_feeds": "{count} calendar feed address(es) (they stopped working)",
    "events_announced": "your name from {count} event(s) you announced",
    "letters_created": "your name from {count} letter(s) you created",
}
HELP_NETWORK_LINES = (
    "`/network join` say which organisation you're from; `/network leave`\n"
    "`/network stats` how many of us, from how many organisations\n"
    "`/privacy mydata` everything held about you; `/privacy forget` delete it"
)
HELP_NETWORK = "The network and your data"


# --- letters

LETTER_TO = "To"
LETTER_SIGNATURES = "Signatures"
LETTER_TALLY = "{signatures} from {organisations}"  # each a count of bot/i18n/plurals.py
LETTER_CLOSES = "Closes"
LETTER_OPEN_UNTIL_CLOSED = "Open until an organiser closes it"
LETTER_CLOSED = "Closed"
LETTER_CLOSED_AT = "Signing closed {at}."
LETTER_CLOSED_TITLE = "CLOSED: {title}"
LETTER_TEXT_CHANGED = "Text changed"
LETTER_TEXT_CHANGED_AT = (
    "The text was changed {at_full} ({at_rel}). Everyone who had signed was told and may withdraw."
)
LETTER_READ_MORE = "*The letter continues: read it all with `/letter info`.*"
LETTER_FOOTER_OPEN = (
    "Letter #{id} · Press Sign to add your name (or /letter sign); /letter withdraw takes it off."
)
LETTER_FOOTER_CLOSED = "Letter #{id} · Signing has closed."
BUTTON_SIGN = "Sign"
BUTTON_SIGN_CLOSED = "Signing closed"
LETTER_CELEBRATION = "🎉 **{count} signatures** on **{title}**! Thank you, everyone. {link}"

LETTER_BODY_MODAL_TITLE = "The text of the letter"
LETTER_BODY_LABEL = "Text of the letter"
LETTER_BODY_PLACEHOLDER = "Dear First Minister, we ask that the principles of co-production…"
SIGN_MODAL_TITLE = "Sign: {title}"
SIGN_NAME_LABEL = "Your name, as it should appear"
SIGN_ORGANISATION_LABEL = "Organisation (optional; - for none)"
SIGN_ORGANISATION_PLACEHOLDER = "e.g. Cardiff University. Leave blank to sign for yourself."

LETTER_CREATED = "Posted **{title}**: {link}"
LETTER_CREATED_CLOSES = "Signing closes {at_full} ({at_rel})."
LETTER_CREATED_AMBIGUOUS = (
    "Note: the clocks go back that night, so {local} happens twice; I took the first one "
    "(summer time). Edit the letter if you meant the second."
)
LETTER_SIGNED = "You signed **{title}** as {who}. It now has {tally}."
LETTER_SIGNED_AGAIN = "Updated your signature on **{title}**: {who}. It has {tally}."
LETTER_SIGNED_UNLISTED = "Your name isn't shown in the public list, but your signature counts."
LETTER_WITHDRAWN = "Your signature is off **{title}**. It now has {tally}."
LETTER_EDITED = "Updated **{title}**: {changes}. {link}"
LETTER_EDITED_REOPENED = "It is open for signing again."
LETTER_EDITED_NOTIFIED = "I'm telling the {count} people who signed that the text changed."
LETTER_REPOSTED = "The letter's post had been deleted, so I posted it again: {link}"
LETTER_CHANGE_NAMES = {
    "title": "title",
    "addressee": "addressee",
    "body": "text",
    "closes": "closing time",
    "milestone": "milestone",
    "web": "public page",
}
LETTER_WEB_UP = "Its public page is up: {url}"
LETTER_WEB_UP_NO_SERVER = (
    "Its public page is on; it shows once the bot's web server runs (`WEB_PORT`)."
)
LETTER_WEB_DOWN = (
    "Its public page is down: its address now answers “not found”. "
    "`/letter edit web:True` puts it back at the same address."
)
LETTER_PAGE_LINK = "[the public page]({url})"
BUTTON_LETTER_PAGE = "Read online"
LETTER_CLOSE_CONFIRM = (
    "Close **{title}**? It has {tally}. Signing stops and the post will say it is closed. "
    "(A new future `closes` in `/letter edit` would reopen it.)"
)
LETTER_CLOSED_REPLY = (
    "Closed **{title}** with {tally}. `/letter export` gives the text and its signatories. {link}"
)
LETTER_CLOSE_KEPT = "**{title}** stays open; nothing was changed."
LETTER_CLOSE_TIMEOUT = "No answer, so **{title}** was not closed."
BUTTON_CLOSE_CONFIRM = "Close the letter"
BUTTON_CLOSE_KEEP = "Keep it open"
LETTER_EXPORTED = "**{title}**: the text and {listed} public signatories ({tally} in all)."
LETTER_INFO_CREATED = "Started by <@{user_id}> on {created}"
LETTER_INFO_FULL_TEXT = "The letter is longer than Discord shows here: the full text is attached."
LETTER_POST_LINK = "[the letter's post]({link})"
SIGNATURES_TITLE = "Signatures: {title}"
SIGNATURES_EMPTY = "Nobody is listed publicly yet."
SIGNATURES_UNLISTED = "{count} more signed without their names shown; they count in the total."
SIGNATURES_PAGE = "Page {page} of {pages} · {tally}"
LETTERS_TITLE = "Open letters"
LETTERS_EMPTY = "No letters yet. Organisers can start one with `/letter create`."
LETTERS_MORE = "…and {count} more. Find one by name with `/letter info`."
LETTER_STATE_OPEN = "open"
LETTER_STATE_CLOSED = "closed"
CHOICE_CLOSED = "[closed]"

# The web server's front page (bot/web/home.py): what this address is.
WEB_HOME: Mapping[str, str] = {
    "heading": "Co-pro Network Wales",
    "about": "This is the network's Discord bot. It serves calendar feeds and the pages of "
    "open letters; their addresses come from the bot (/events subscribe, /letter info).",
}

# The letter's public web page (bot/web/templates/letter.html). English now; a Welsh
# catalogue sits beside it later, chosen by the page's `lang`.
WEB_LETTER: Mapping[str, str] = {
    "to": "To",
    "open": "Open for signing",
    "open_until": "Open for signing until {at}",
    "closed": "Signing closed {at}",
    "changed": "Last changed {at}",
    "signatories": "Signatories",
    "individuals": "Signing for themselves",
    "none": "Nobody is listed publicly yet.",
    "unlisted": "{count} more signed without their names shown; they count in the total.",
    "page": "Page {page} of {pages}",
    "pages": "Pages of signatories",
    "previous": "Previous page",
    "next": "Next page",
    "first": "First page",
    "last": "Last page",
    "how_to_sign": "Members of the network sign in Discord, with the letter's Sign button.",
    "data": "The public data, to download:",
    "description": "{tally}. To: {addressee}.",
    "title": "{title} — open letter",
}

EXPORT_TO = "To: {addressee}"
EXPORT_SIGNATORIES = "Signatories"
EXPORT_COUNT = "{tally} as of {at} UTC; {listed} listed here by name."
EXPORT_INDIVIDUALS = "Signing for themselves"
EXPORT_CLOSED = "Signing closed {at} UTC."
EXPORT_TEXT_CHANGED = "The text was last changed {at} UTC."
EXPORT_NONE = "Nobody is listed publicly yet."
EXPORT_CSV_HEADER = ("organisation", "name", "signed_at_utc")

HELP_LETTERS = "Open letters"
HELP_LETTER_LINES = (
    "`/letter list` the letters and how many have signed\n"
    "`/letter sign` add your name (or press **Sign** on a letter's post)\n"
    "`/letter withdraw` take your name off\n"
    "`/letter info` the full text · `/letter signatures` who signed\n"
    "Organisers: `/letter create`, `/letter edit`, `/letter close`, `/letter export`"
)

ERRORS.update(
    {
        "letter_not_found": "I couldn't find a letter matching “{text}”. Pick one from the "
        "list as you type.",
        "letter_ambiguous": "Several letters are called “{text}”. Pick the one you mean from "
        "the list as you type.",
        "letter_title_missing": "Please give the letter a `title`.",
        "letter_addressee_missing": "Please say who the letter is to (`addressee`).",
        "letter_body_missing": "Please give the letter's text.",
        "letter_milestone_out_of_range": "The milestone must be a whole number from 1 to {limit}.",
        "letter_closed": "“{title}” has closed, so it can't be signed any more.",
        "letter_closed_already": "“{title}” is already closed.",
        "letter_erased_reopen": "“{title}” can't be opened again: its signatures were erased "
        "after the server's retention time, so a new signature could be counted twice. Start "
        "a new letter with `/letter create` instead.",
        "letter_name_missing": "Please give your `name` as it should appear on the letter, "
        "or leave `name` out to fill in a form.",
        "letter_not_signed": "You haven't signed “{title}”, so there's nothing to withdraw.",
        "close_not_yours": "Only the organiser who asked to close it can confirm it.",
    }
)

NOTICES.update(
    {
        "letter_body_changed": "The text of the open letter **{title}**, which you signed, "
        "was changed {at_rel}. Read it again with `/letter info`; if you no longer agree, "
        "`/letter withdraw` takes your name off.",
    }
)


# --- date polls

POLL_HOW = (
    "Press every time you can make; press a time again to take it back. "
    "The time most can make wins (a tie goes to the earliest)."
)
POLL_OPTION_LINE = "**{number}.** {at_full} · {count}"
POLL_OPTION_WINNER = "🏆 **{number}.** {at_full} · **{count}**"
POLL_ANSWERED = "Answered"
POLL_CLOSES = "Closes"
POLL_OPEN_UNTIL_CLOSED = "Open until an organiser closes it"
POLL_CLOSED_TITLE = "CLOSED: {title}"
POLL_CLOSED_WINNER = "Closed {closed_rel}. The most can make {at_full}."
POLL_CLOSED_NONE = "Closed {closed_rel}. Nobody answered, so there is no winner."
POLL_FOOTER_OPEN = "Date poll #{id}"
POLL_FOOTER_CLOSED = "Date poll #{id} · Answers have closed."
POLL_BUTTON_LABEL = "{number}. {local}"  # `local`: the time in the server's zone, plain text
POLL_LOCAL_FORMAT = "%a %d %b %H:%M"

POLL_CREATED = "Posted the date poll **{title}** with {count} times: {link}"
POLL_CREATED_CLOSES = "Answers close {at_full} ({at_rel})."
POLL_CREATED_AMBIGUOUS = (
    "Note: the clocks go back that night, so {locals} happens twice; I took the first one "
    "(summer time)."
)
POLL_PRESSED_GIVEN = "Noted: you can make {at_full}."
POLL_PRESSED_TAKEN_BACK = "Taken back: {at_full}."
POLL_PRESSED_CHOICES = "Your times for **{title}**: {times}."
POLL_PRESSED_NONE = "You haven't picked any time for **{title}**."
POLL_CLOSE_CONFIRM = (
    "Close **{title}**? {answered} answered. Answers stop and the time most can make is "
    "marked as the winner."
)
POLL_CLOSED_REPLY = "Closed **{title}**: the most can make {at_full} ({count} of {members})."
POLL_CLOSED_REPLY_NONE = "Closed **{title}**. Nobody answered, so there is no winner to announce."
POLL_WAS_CLOSED = "**{title}** had already closed: the most can make {at_full}."
POLL_WAS_CLOSED_NONE = "**{title}** had already closed, with no answers."
POLL_ANNOUNCE_HOW = "Press **{button}** to announce it as an event at that time."
POLL_ANNOUNCED_ALREADY_LINE = "It has been announced: {link}"
POLL_CLOSE_KEPT = "**{title}** stays open; nothing was changed."
POLL_CLOSE_TIMEOUT = "No answer, so **{title}** was not closed."
BUTTON_POLL_CLOSE_CONFIRM = "Close the poll"
BUTTON_POLL_CLOSE_KEEP = "Keep it open"
BUTTON_POLL_ANNOUNCE = "Announce"
POLL_ANNOUNCED_REPLY = "Announced **{title}** for {when_full} ({when_rel}): {link}"
POLL_ANNOUNCED_BEFORE = "The winner of **{title}** was already announced: {link}"
POLL_ANNOUNCED_GONE = "The winner of **{title}** was already announced (that event is gone)."
POLLS_TITLE = "Open date polls"
POLLS_EMPTY = "No open date polls. Organisers can start one with `/poll create`."
POLLS_LINE = "{times} times · {answered} answered · {closes}{link}"
POLLS_NO_CLOSE = "no closing time"
POLLS_CLOSES = "closes {at_rel}"
POLLS_MORE = "…and {count} more."
POLL_CHOICE_CLOSED = "[closed]"

HELP_POLLS = "Date polls"
HELP_POLL_LINES = (
    "`/poll list` the open date polls (press the times you can make on a poll's post)\n"
    "Organisers: `/poll create` (times separated by `;`), `/poll close` (then **Announce**)"
)

ERRORS.update(
    {
        "poll_not_found": "I couldn't find a date poll matching “{text}”. Pick one from the "
        "list as you type.",
        "poll_ambiguous": "Several date polls are called “{text}”. Pick the one you mean "
        "from the list as you type.",
        "poll_title_missing": "Please give the poll a `title`.",
        "poll_options_too_long": "The `options` are {length} characters long; the most is "
        "{limit}. Give at most 10 times, separated by `;`.",
        "poll_too_few_options": "A date poll needs at least {least} times to choose from; "
        "you gave {count}. Separate them with `;`, like `3 Dec 6pm; 10 Dec 6pm`.",
        "poll_too_many_options": "A date poll can offer at most {most} times; you gave "
        "{count}. Keep the {most} that matter most, separated by `;`.",
        "poll_option_duplicate": "Option {number}, “{text}”, is the same time as option "
        "{same} ({at_full}). Give each time once.",
        "poll_option_missing": "**{title}** has no option {number} any more. Press one of "
        "the times on the poll's post.",
        "poll_closed": "“{title}” has closed, so it takes no more answers.",
        "poll_still_open": "“{title}” is still open: close it with `/poll close` first.",
        "poll_no_winner": "Nobody answered “{title}”, so there is no time to announce.",
        "poll_winner_past": "The winning time of “{title}”, {at_full}, has already passed, "
        "so I can't announce it. Start a new poll or use `/events create`.",
    }
)
# An option that can't be read as a time: the rule `when` breaks, naming the option.
ERRORS.update(
    {
        f"poll_option_{key}": "Option {number}: " + sentence
        for key, sentence in list(ERRORS.items())
        if key.startswith("when_") or key == "timezone_unknown"
    }
)
PRIVACY_SECTIONS.update(
    {
        "poll_answers": "{count} date poll answer(s)",
        "polls_created": "your name from {count} date poll(s) you created",
    }
)

NOTICES.update(
    {
        "poll_result": "The date poll **{title}** has closed: the time most can make is "
        "{at_full} ({at_rel}). Watch for the announcement.",
        "poll_closed_organiser": "Your date poll **{title}** has closed: the time most can "
        "make is {at_full}. Run `/poll close` for it to announce that time as an event.",
        "poll_closed_no_winner": "Your date poll **{title}** has closed. Nobody answered, so "
        "there is no time to announce.",
    }
)
