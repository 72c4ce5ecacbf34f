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
    "network_not_member": "You're not on the network list, so there was nothing to leave.",
    "organisation_empty": "Please give the `{field}`: the name of an organisation.",
    "organisation_punctuation": "The `{field}` needs letters or numbers, not only "
    "punctuation. Please type the organisation's name.",
    "organisation_mention": "The `{field}` can't contain a mention (of a member, a role or a "
    "channel). Please type the organisation's name as plain text.",
    "organisation_aliases_too_many": "An organisation can have at most {limit} `aliases`. "
    "Please give fewer, separated by commas.",
    "organisation_not_found": "I couldn't find an organisation called “{text}”. Pick one from "
    "the list as you type; `/network organisations` lists them all.",
    "organisation_name_taken": "“{spelling}” already names **{other}**. Choose another "
    "spelling, or fold the two together with `/network merge`.",
    "organisation_merge_itself": "That's the same organisation twice. Choose two different "
    "ones: `from` is folded into `into`.",
    "organisation_gone": "That organisation isn't there any more (perhaps it was merged a "
    "moment ago). Please run the command again.",
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
DIGEST_LEGEND = "✅ going · 🤔 maybe · ❌ can't go"  # the footer: each event's counts are figures
DIGEST_LEGEND_WAITLIST = "✅ going · 🤔 maybe · ❌ can't go · ⏳ on the waitlist"
WHEN_FULL = "{at_full} ({at_rel})"  # a date: in Welsh, words beside the markup
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
    "title_cy": "Welsh title",
    "description_cy": "Welsh description",
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
LIST_LINK_WORD = "announcement"  # a bilingual link's words: "[cyhoeddiad · announcement](…)"
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
ATTENDEES_CSV_HEADER = ("status", "place", "user_id", "member", "answered_at_utc", "attended")
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
    "`/setup retention` how long who answered or signed is kept\n"
    "`/setup welcome` post (or move) the welcome panel that brings newcomers in"
)
HELP_FOOTER = "All my replies to you are private: only you can see them."


def fill(template: str, params: Mapping[str, object]) -> str:
    """Fill a sentence; each datetime param `x` also fills `{x_full}` and `{x_rel}` as Discord
    timestamps (unless given: a Welsh date in words); member text params are made safe by
    the caller."""
    for value in params.values():
        if isinstance(value, datetime):
            break
    else:
        return template.format_map(params)  # most sentences: no dates to work out
    fields = dict(params)
    for name, value in params.items():
        if isinstance(value, datetime):
            stamp = int(value.timestamp())
            fields.setdefault(f"{name}_full", f"<t:{stamp}:F>")
            fields.setdefault(f"{name}_rel", f"<t:{stamp}:R>")
    return template.format_map(fields)


def error_text(key: str, **params: object) -> str:
    return fill(ERRORS[key], params)


# --- network and privacy
NETWORK_STATS_TITLE = "The network"
NETWORK_HEADLINE = "{people} from {organisations}"  # each a count of bot/i18n/plurals.py
NETWORK_EMPTY = "Nobody has joined yet. Join with `/network join`."
NETWORK_REGION_LINE = "{people} · {organisations}"  # each a count of bot/i18n/plurals.py
NETWORK_NO_REGION = "Region not given"
NETWORK_JOINED = "Welcome to the network: you're listed with {organisation}{region}."
NETWORK_UPDATED = "Updated: you're listed with {organisation}{region}."
NETWORK_LEFT = "You've left the network list. Your RSVPs and signatures are unchanged."
ORGANISATIONS_TITLE = "Organisations"
ORGANISATIONS_EMPTY = "No organisations yet. They appear as members join with `/network join`."
ORGANISATIONS_LINE = "**{name}** · {members}"
ORGANISATIONS_ALSO = "also: {names}"
ORGANISATIONS_FOOTER = "Page {page} of {pages} · {organisations}"
ORGANISATION_SAVED = "Saved **{name}**."
ORGANISATION_WELSH = "Welsh name: {welsh}"
ORGANISATION_ALIASES = "Also matched as: {aliases}"
ORGANISATION_MERGE_PROMPT = (
    "Fold **{source}** into **{into}**? Everyone listed with **{source}**, its signatures, "
    "the events it hosts and its places on series rotas will name **{into}**, and every "
    "spelling of **{source}** will match **{into}** from now on. This can't be undone."
)
ORGANISATION_MERGED = (
    "**{source}** is now part of **{into}**: {members}, {signatures} and {events} moved."
)
ORGANISATION_MERGE_KEPT = "Nothing was merged: both organisations are as they were."
ORGANISATION_MERGE_TIMEOUT = "No answer, so nothing was merged."
BUTTON_MERGE_CONFIRM = "Merge them"
BUTTON_MERGE_KEEP = "Keep both"
WELCOME_TITLE = "Welcome to the network"
WELCOME_BODY = (
    "We're glad you're here. With the buttons below you can choose the language I write to "
    "you in, join the network list with your organisation and region, and turn pings for "
    "new events on or off."
)
WELCOME_FEED = "You can also put our events in your own calendar with a live feed."
WELCOME_BUTTON_CY = "Cymraeg"  # each language by its own name: never translated
WELCOME_BUTTON_EN = "English"
BUTTON_WELCOME_JOIN = "Join the network list"
BUTTON_WELCOME_PING = "Event pings on/off"
BUTTON_WELCOME_FEED = "Calendar feed"
WELCOME_FORM_TITLE = "Join the network list"
WELCOME_FORM_ORGANISATION = "Your organisation"
WELCOME_FORM_REGION = "Your region (optional)"
WELCOME_PING_ON = (
    "You'll be pinged ({role}) when an event is announced. Press the button again to stop."
)
WELCOME_PING_OFF = "You won't be pinged for new events any more. Press the button again to start."
WELCOME_POSTED = "Posted the welcome panel in {channel}: {link}"
WELCOME_MOVED = "Moved the welcome panel to {channel}: {link}. The old one is deleted."
PRIVACY_MYDATA = (
    "Here is everything I hold about you, as a JSON file. `/privacy forget` deletes it."
)
PRIVACY_FORGET_CONFIRM = (
    "Delete everything I hold about you: your RSVPs, attendance, letter signatures, date poll "
    "answers, reminders, reminder settings, language choice and network profile? Events, "
    "letters and polls you created stay, without your name. This can't be undone."
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
    "`/network organisations` the organisations I know, with the names each is matched by\n"
    "Organisers: `/network organisation` edit a name, Welsh name or aliases; "
    "`/network merge` fold a duplicate into the right one\n"
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
LETTER_BODY_CY_LABEL = "Text in Welsh (optional)"
LETTER_BODY_CY_PLACEHOLDER = "Annwyl Brif Weinidog, gofynnwn fod egwyddorion cydgynhyrchu…"
# The organiser's reply, when the server posts in Welsh and some Welsh was not given.
EVENT_WELSH_MISSING = (
    "This server posts in Welsh, but the event's Welsh title or description is missing, so "
    "its post shows the English in their place. Add them with `/events edit` "
    "`title_cy:` and `description_cy:`."
)
LETTER_WELSH_MISSING = (
    "This server posts in Welsh, but the letter's Welsh title or text is missing, so its "
    "post shows the English in their place. Add them with `/letter edit` `title_cy:` and "
    "`body_cy:`."
)
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
    "title_cy": "Welsh title",
    "body_cy": "Welsh text",
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

# The web server's short plain answers (bot/web/app.py), by HTTP status: Welsh, then English.
WEB_PLAIN: Mapping[int, str] = {
    400: "Bad request.",
    404: "Not found.",
    405: "Only GET and HEAD are served here.",
    500: "Something went wrong on our side.",
}
# Every page's frame (bot/web/templates/base.html).
WEB_SITE: Mapping[str, str] = {
    "name": "Co-pro Network Wales",
    "footer": "From the network's Discord bot.",
    "languages": "This page in another language",
    "text_in_english": "This letter has no Welsh text yet, so its English is shown.",
}

# The letter's public web page (bot/web/templates/letter.html), in the page's language
# (bot.domain.page_language).
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
        "merge_not_yours": "Only the organiser who asked for this merge can confirm it.",
        "welcome_region_unknown": "I don't know the region “{text}”. Please type one of: "
        "{regions} (or leave it empty).",
        "welcome_no_ping_role": "This server has no event ping role yet. A server manager can "
        "choose one with `/setup ping-role`.",
        "welcome_ping_no_permission": "I can't give or take the {role} role: I need the "
        "**Manage Roles** permission. A server manager can turn it on for my role in Server "
        "Settings → Roles.",
        "welcome_ping_role_too_high": "I can't give or take the {role} role: it is not below my "
        "own highest role. A server manager can drag my role above {role} in Server Settings → "
        "Roles.",
        "welcome_cannot_post": "I can't post the welcome panel in {channel}: I need to see the "
        "channel, send messages and embed links there. Please give my role those permissions "
        "in that channel, or choose another one.",
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
POLLS_LINE = "{times} · {answered} answered · {closes}{link}"  # {times}: POLL_TIME_WORDS
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

# --- languages (/language, /setup language)
LANGUAGE_NAMES = {"cy": "Welsh", "en": "English"}
MODE_NAMES = {
    "en": "in English",
    "cy": "in Welsh",
    "bilingual": "in Welsh and English, Welsh first",
}
LANGUAGE_SAVED = "Saved: I'll answer you in {language} from now on, in this server."
SETUP_SAVED_LANGUAGE = (
    "Saved: public posts, and replies to members who haven't chosen a language with "
    "`/language`, are now {mode}."
)
SETUP_LANGUAGE = "Language"
HELP_LANGUAGES = "Cymraeg a Saesneg"
HELP_LANGUAGE_LINES = (
    "`/language` choose Welsh or English for everything I say to you alone\n"
    "Server managers: `/setup language` the language of public posts (`en`, `cy` or "
    "`bilingual`)"
)
PRIVACY_SECTIONS["language"] = "your language choice"
ERRORS.update(
    {
        "language_unknown": "“{text}” isn't a language I speak. Choose `cy` (Cymraeg) or "
        "`en` (English).",
        "mode_unknown": "“{text}” isn't a language setting. Choose `en` (English), `cy` "
        "(Cymraeg) or `bilingual` (both, Welsh first).",
    }
)

# --- attendance and meeting notes (/events attendance, /events notes)
BUTTON_ATTENDED = "I was there"
ATTENDED_FIELD = "Attendance"
ATTENDANCE_MARKED = (
    "Noted: you were at **{title}**. Thank you for coming! Press the button again to take it back."
)
ATTENDANCE_UNMARKED = "Taken back: you're no longer marked as at **{title}**."
ATTENDANCE_SHEET = (
    "Tick who came to **{title}**, then pick outside the menu to save: each choice is saved "
    "at once. Members who pressed “I was there” are ticked already; untick them to correct it."
)
ATTENDANCE_SHEET_EMPTY = (
    "Nobody said going or maybe to **{title}**, and nobody has pressed “I was there” yet, so "
    "there is nobody to tick."
)
ATTENDANCE_PLACEHOLDER = "Who came?"
ATTENDANCE_STATUS = {
    "going": "going",
    "maybe": "maybe",
    "waitlist": "waitlist",
    "none": "pressed “I was there”",
}
ATTENDANCE_SAVED = "Saved."
ATTENDANCE_UNKNOWN_MEMBER = "Member {user_id}"
NOTES_FORM_TITLE = "Meeting notes"
NOTES_FORM_ENGLISH = "Notes in English"
NOTES_FORM_WELSH = "Notes in Welsh"
NOTES_FORM_LINK = "Link (optional): http:// or https://"
NOTES_SAVED = "Saved the notes of **{title}**. `/events info` shows them."
NOTES_REMOVED = "Removed the notes of **{title}**."
NOTES_UNCHANGED = "The notes of **{title}** were already just that: nothing changed."
NOTES_FIELD = "Notes"
NOTES_LINK = "[more]({link})"
NOTES_ICS_LINK = "Notes: {link}"
NETWORK_MEETINGS_FIELD = "Meetings in the last 12 months"
HELP_ATTENDANCE = "Attendance and notes"
HELP_ATTENDANCE_LINES = (
    "Press **I was there** on an event's post, from 30 minutes before it starts until 7 days "
    "after it ends\n"
    "Organisers: `/events attendance` tick who came (`others`: people not on Discord); "
    "`/events notes` the meeting's notes, in English and Welsh, with a link"
)
PRIVACY_SECTIONS["attendance"] = "{count} record(s) of attending an event"
ATTENDEES_CSV_ATTENDED = "yes"
ERRORS.update(
    {
        "attendance_not_yet": "Attendance for **{title}** opens {at_full} ({at_rel}), 30 "
        "minutes before it starts. Try again then.",
        "attendance_closed": "Attendance for **{title}** closed {at_full}: it is taken until 7 "
        "days after an event ends.",
        "attendance_cancelled": "**{title}** was cancelled, so it takes no attendance.",
        "attendance_others_out_of_range": "`others` is the number of people not on Discord who "
        "came: a whole number from 0 to {limit}. You gave {others}.",
        "notes_link_bad": "“{text}” isn't a web address I can link to. Give one that starts "
        "with `https://` (or `http://`), like `https://example.org/notes`.",
        "notes_link_too_long": "The link is {length} characters long; the most is {limit}. "
        "Give a shorter address.",
        "notes_english_too_long": "The English notes are {length} characters long; the most "
        "is {limit}. Please shorten them.",
        "notes_welsh_too_long": "The Welsh notes are {length} characters long; the most is "
        "{limit}. Please shorten them.",
    }
)


# --- the command surface (bot/adapters/commands.py): each command's, group's and option's
# description by its path; Discord shows it as "Cymraeg · English" (at most 100 characters
# together, so keep the English short).
COMMANDS: dict[str, str] = {
    "setup": "The bot's settings for this server",
    "setup show": "Show the bot's settings for this server",
    "setup channel": "Where new events are announced",
    "setup channel announcements": "The channel for event announcements",
    "setup organiser-role": "The role whose members may organise",
    "setup organiser-role role": "Its members manage events and letters",
    "setup ping-role": "The role pinged when an event is announced",
    "setup ping-role role": "The role to ping; leave empty for no ping",
    "setup timezone": "The time zone that typed times are read in",
    "setup timezone zone": "An IANA zone name, e.g. Europe/London",
    "setup reminders": "Default reminder times before each event",
    "setup reminders offsets": "Times before the start, e.g. 7d,1d,1h or 30m",
    "setup digest": "The weekly digest of coming events",
    "setup digest enabled": "Post the digest every week",
    "setup digest day": "The day it posts (default Monday)",
    "setup digest time": "The time it posts (default 09:00)",
    "setup retention": "How long answers and signatures are kept",
    "setup retention months": "Months after the end (1–120, default 24)",
    "setup language": "The language of the server's public posts",
    "setup language mode": "English, Welsh, or both (Welsh first)",
    "events": "Network meetings and events",
    "events create": "Announce a new event (organisers)",
    "events create when": "When it starts, e.g. next tuesday 7pm",
    "events create title": "The event's name, e.g. Network Meeting 4",
    "events create where": "Where it happens: a venue, a town, or Online",
    "events create host": "The organisation hosting it",
    "events create region": "The part of Wales it is for",
    "events create kind": "What sort of event (default: meeting)",
    "events create duration": "How long it lasts, e.g. 90m (default 2h)",
    "events create description": "More about the event",
    "events create capacity": "Places; the rest go on a waitlist",
    "events create reminders": "Reminders before the start, e.g. 7d,1d,1h",
    "events create channel": "Where to announce it, if not the usual channel",
    "events create series": "Its meeting series (number and rota host)",
    "events create title_cy": "The name in Welsh (default: the English)",
    "events create description_cy": "The description in Welsh (default: the English)",
    "events edit": "Change an event (organisers)",
    "events edit event": "The event to change",
    "events edit when": "When it starts, e.g. next tuesday 7pm",
    "events edit title": "A new name",
    "events edit where": "A new place (type - to clear)",
    "events edit host": "A new host organisation (type - to clear)",
    "events edit region": "A new region",
    "events edit kind": "A new kind",
    "events edit duration": "A new length, e.g. 2h or 90m",
    "events edit description": "A new description (type - to clear)",
    "events edit capacity": "New places (more moves the waitlist up)",
    "events edit reminders": "New reminder times, e.g. 1d,1h",
    "events edit title_cy": "A new name in Welsh (type - to clear)",
    "events edit description_cy": "A new description in Welsh (type - to clear)",
    "events cancel": "Cancel an event, once confirmed (organisers)",
    "events cancel event": "The event to cancel",
    "events cancel reason": "Why, shown on the announcement",
    "events upcoming": "What's coming up in the network",
    "events upcoming region": "Only events for this region",
    "events upcoming kind": "Only events of this kind",
    "events past": "A look at what's happened so far",
    "events past region": "Only events for this region",
    "events past kind": "Only events of this kind",
    "events info": "Everything about one event",
    "events info event": "The event",
    "events series": "Set up or change a meeting series (organisers)",
    "events series name": "The series' name, e.g. Network Meeting",
    "events series hosts": "Host organisations in turn, comma-separated",
    "events series region": "The region its meetings are for",
    "events series next_number": "The next meeting's number (e.g. 4 to continue)",
    "events calendar": "A calendar file of one event or all upcoming",
    "events calendar event": "The event (empty: every upcoming one)",
    "events subscribe": "A live calendar feed that keeps itself up to date",
    "events subscribe region": "Only events for this region",
    "events subscribe mine": "Only events you're going or maybe going to",
    "events subscribe reset": "A new address; old ones stop working",
    "events attendees": "Who's going, with a CSV file (organisers)",
    "events attendees event": "The event",
    "events attendance": "Tick who came to an event (organisers)",
    "events attendance event": "The event (30 min before to 7 days after)",
    "events attendance others": "How many came who aren't on Discord",
    "events notes": "Write an event's meeting notes (organisers)",
    "events notes event": "The event",
    "events notes link": "A link for more, e.g. the full minutes",
    "reminders": "Reminders before events",
    "reminders add": "A DM of your own before an event",
    "reminders add event": "The event",
    "reminders add before": "How long before the start, e.g. 30m, 2h or 1d",
    "reminders list": "Your own reminders",
    "reminders cancel": "Cancel one of your reminders",
    "reminders cancel reminder": "The reminder to cancel",
    "reminders dms": "Switch automatic reminder DMs off or on",
    "reminders dms enabled": "True: DM me before my events; False: don't",
    "letter": "Open letters to sign",
    "letter create": "Start an open letter (organisers)",
    "letter create title": "The title, e.g. Open Letter to the Minister",
    "letter create addressee": "Who it is to, e.g. The First Minister of Wales",
    "letter create body": "The text (leave out for a larger box)",
    "letter create closes": "When signing closes, e.g. 31 Dec 5pm",
    "letter create milestone": "Celebrate every N signatures (default 25)",
    "letter create channel": "Where to post it, if not the usual channel",
    "letter create title_cy": "The title in Welsh (default: the English)",
    "letter create body_cy": "The text in Welsh (or type it in the form)",
    "letter edit": "Change an open letter (organisers)",
    "letter edit letter": "The letter to change",
    "letter edit title": "A new title",
    "letter edit addressee": "Who it is to",
    "letter edit body": "A new text (people who signed are told)",
    "letter edit closes": "When signing closes (- for never)",
    "letter edit milestone": "Celebrate every N signatures",
    "letter edit web": "Show its public web page (False hides it)",
    "letter edit title_cy": "A new title in Welsh (type - to clear)",
    "letter edit body_cy": "A new text in Welsh (type - to clear)",
    "letter close": "Stop signing, once confirmed (organisers)",
    "letter close letter": "The letter to close",
    "letter export": "The letter and signatories as a file (organisers)",
    "letter export letter": "The letter",
    "letter export format": "Markdown (default) or CSV",
    "letter sign": "Add your name to an open letter",
    "letter sign letter": "The letter to sign",
    "letter sign name": "Your name as shown (leave out for a form)",
    "letter sign organisation": "Your organisation, if any (- for none)",
    "letter sign public": "Name you in the public list (default: yes)",
    "letter withdraw": "Take your name off a letter",
    "letter withdraw letter": "The letter you signed",
    "letter info": "A letter's full text and its count",
    "letter info letter": "The letter",
    "letter signatures": "Who signed a letter",
    "letter signatures letter": "The letter",
    "letter list": "The open letters, and closed ones",
    "poll": "Date polls for meetings",
    "poll create": "Ask members which times suit (organisers)",
    "poll create title": "The meeting's title, e.g. Network Meeting",
    "poll create options": "2–10 times split by ; e.g. 3 Dec 6pm; 10 Dec 6pm",
    "poll create closes": "When answers close (optional)",
    "poll create series": "A series: the winner becomes its next meeting",
    "poll create channel": "Where to post it, if not the usual channel",
    "poll close": "Stop answers and mark the winner (organisers)",
    "poll close poll": "The date poll to close",
    "poll list": "The open date polls",
    "network": "The network's members",
    "network join": "Join the network, or change your details",
    "network join organisation": "The organisation you work for or with",
    "network join region": "Where you mostly work",
    "network leave": "Leave the network list",
    "network stats": "How many of us, from how many organisations",
    "network organisations": "Organisations on the network list, by members",
    "network organisations page": "Which page of the list (20 to a page)",
    "network organisation": "Edit an organisation's names (organisers)",
    "network organisation organisation": "The organisation to edit",
    "network organisation name": "Its name",
    "network organisation welsh_name": "Its name in Welsh (- to clear)",
    "network organisation aliases": "Other spellings, comma-separated (- clears)",
    "network merge": "Merge a duplicate organisation (organisers)",
    "network merge from": "The duplicate, folded in and then gone",
    "network merge into": "The organisation that stays",
    "setup welcome": "Post or move the welcome panel (server managers)",
    "setup welcome channel": "The channel for the welcome panel",
    "privacy": "Your data",
    "privacy mydata": "Everything the bot holds about you, as a file",
    "privacy forget": "Delete everything the bot holds about you",
    "help": "What the bot does and its commands",
    "language": "The language I answer you in",
    "language language": "Cymraeg or English",
}
# Choice names (KIND_NAMES above is the kinds'). The regions as bot.domain.events.Region
# spells them; the days as bot.domain.guilds.DAYS (the digest's day).
REGION_NAMES = {
    "North Wales": "North Wales",
    "Mid Wales": "Mid Wales",
    "West Wales": "West Wales",
    "South Wales": "South Wales",
    "National": "National",
    "Online": "Online",
    "Other": "Other",
}
DAY_NAMES = {
    "monday": "Monday",
    "tuesday": "Tuesday",
    "wednesday": "Wednesday",
    "thursday": "Thursday",
    "friday": "Friday",
    "saturday": "Saturday",
    "sunday": "Sunday",
}
FORMAT_NAMES = {"markdown": "Markdown", "csv": "CSV"}  # /letter export format
# The field a too-long text was typed in (ERRORS[too_long]'s {field}), by the domain's name.
FIELD_NAMES = {
    "title": "title",
    "where": "place",
    "host": "host",
    "description": "description",
    "title_cy": "Welsh title",
    "description_cy": "Welsh description",
    "reason": "reason",
    "series name": "series name",
    "name": "name",
    "organisation": "organisation",
    "addressee": "addressee",
    "text of the letter": "text of the letter",
    "Welsh text of the letter": "Welsh text of the letter",
    "notes": "notes",
}
AND_LIST = "{items} and {last}"  # the last two of a list: "`1d` and `24h`"
