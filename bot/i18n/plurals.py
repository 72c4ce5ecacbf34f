"""Count sentences: the English singular and plural of each, for gettext plural entries.

`bot/text.py` builds counts by hand today ("{count} signature(s)", a `(singular, plural)`
word pair). Welsh needs six forms (zero, one, two, few, many, other: "0 llofnodion",
"1 llofnod", "2 lofnod", "3 llofnod", "6 llofnod", "7 llofnod"), so each count sentence
gets a plural entry in the catalogue, read with `bot.i18n.ngettext`. The count fills
`{count}`. Each is keyed by the name in `bot/text.py` it stands for (or, for a noun
phrase used inside a longer sentence, a name of its own).
"""

from __future__ import annotations

PLURALS: dict[str, tuple[str, str]] = {
    # noun phrases, for sentences that hold two counts (LETTER_TALLY, NETWORK_HEADLINE, ...)
    "LETTER_SIGNATURE_WORDS": ("{count} signature", "{count} signatures"),
    "LETTER_ORGANISATION_WORDS": ("{count} organisation", "{count} organisations"),
    "MEMBER_WORDS": ("{count} member", "{count} members"),
    "POLL_TIME_WORDS": ("{count} time", "{count} times"),
    "ORGANISATION_EVENT_WORDS": ("{count} hosted event", "{count} hosted events"),
    # whole sentences with one count
    "LETTER_CELEBRATION": (
        "🎉 **{count} signature** on **{title}**! Thank you, everyone. {link}",
        "🎉 **{count} signatures** on **{title}**! Thank you, everyone. {link}",
    ),
    "CALENDAR_ALL": (
        "Here are the network's upcoming events as a calendar file ({count} event).",
        "Here are the network's upcoming events as a calendar file ({count} events).",
    ),
    "DIGEST_MORE": (
        "{count} more event to come: `/events upcoming` lists them all.",
        "{count} more events to come: `/events upcoming` lists them all.",
    ),
    "LIST_PAGE": (
        "Page {page} of {pages} · {count} event",
        "Page {page} of {pages} · {count} events",
    ),
    "SUBSCRIBE_RESET_MANY": (
        "Your {count} earlier address for this feed has stopped working.",
        "Your {count} earlier addresses for this feed have stopped working.",
    ),
    "LETTER_EDITED_NOTIFIED": (
        "I'm telling the {count} person who signed that the text changed.",
        "I'm telling the {count} people who signed that the text changed.",
    ),
    "POLL_CREATED": (
        "Posted the date poll **{title}** with {count} time: {link}",
        "Posted the date poll **{title}** with {count} times: {link}",
    ),
    "SETUP_REDRAWING": (
        "The {count} post that can still change is being redrawn to match.",
        "The {count} posts that can still change are being redrawn to match, a few at a time.",
    ),
    "SETUP_RETENTION_VALUE": (
        "{count} month: then who answered an event or signed a letter is erased (counts stay)",
        "{count} months: then who answered an event or signed a letter is erased (counts stay)",
    ),
    "SETUP_SAVED_RETENTION": (
        "Saved: {count} month after an event ends or a letter closes, who answered or signed "
        "is erased; the counts stay. Anything already older goes in the next daily tidy-up.",
        "Saved: {count} months after an event ends or a letter closes, who answered or signed "
        "is erased; the counts stay. Anything already older goes in the next daily tidy-up.",
    ),
    "PRIVACY_REACTIONS_MORE": (
        "• and {count} more post: `/privacy mydata` lists them",
        "• and {count} more posts: `/privacy mydata` lists them",
    ),
    "PRIVACY_SECTIONS[rsvps]": ("{count} RSVP", "{count} RSVPs"),
    "PRIVACY_SECTIONS[signatures]": ("{count} signature", "{count} signatures"),
    "PRIVACY_SECTIONS[reminders]": ("{count} reminder", "{count} reminders"),
    "PRIVACY_SECTIONS[reminders_received]": (
        "{count} record of reminders sent to you",
        "{count} records of reminders sent to you",
    ),
    "PRIVACY_SECTIONS[calendar_feeds]": (
        "{count} calendar feed address (it stopped working)",
        "{count} calendar feed addresses (they stopped working)",
    ),
    "PRIVACY_SECTIONS[events_announced]": (
        "your name from {count} event you announced",
        "your name from {count} events you announced",
    ),
    "PRIVACY_SECTIONS[letters_created]": (
        "your name from {count} letter you created",
        "your name from {count} letters you created",
    ),
    "PRIVACY_SECTIONS[poll_answers]": (
        "{count} date poll answer",
        "{count} date poll answers",
    ),
    "PRIVACY_SECTIONS[attendance]": (
        "{count} record of attending an event",
        "{count} records of attending events",
    ),
    "ATTENDED_COUNT": ("{count} attended", "{count} attended"),
    "ATTENDED_ORGANISATIONS": (
        "from {count} organisation on the network list",
        "from {count} organisations on the network list",
    ),
    "NETWORK_MEETINGS_HELD": (
        "{count} meeting held",
        "{count} meetings held",
    ),
    "PRIVACY_SECTIONS[polls_created]": (
        "your name from {count} date poll you created",
        "your name from {count} date polls you created",
    ),
}
