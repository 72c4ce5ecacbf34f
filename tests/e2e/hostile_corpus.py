"""Hostile and malformed input for tests/e2e/test_hostile_input.py: data only, and the
typed times (`whens`), which are built from the test's clock.

Strings that name a role, a member or a channel carry `{role}`, `{user}` and `{channel}`,
filled in with the test's ids by `fill`. Option values stay within each option's declared
`max_length` unless a case lists them under `forged` (see the test module's docstring).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from tests.support.dates import (
    LONDON,
    at_local,
    clock_change,
    day_typed,
    local_date,
    stamp,
    typed,
)

# --- building blocks ---------------------------------------------------------------------------

WELSH = "Cyfarfod Rhwydwaith: ŵ ŷ Ŵ Ŷ â ê î ô û ẁ ẃ ẅ ỳ ý — Llanfairpwllgwyngyll"
LONG = ("Cyfarfod ŵŷ 🎉 ‮ " * 400)[:6000]  # 6,000 characters: Discord's most for a string option
COMBINING = "Z̷̢̛̪̖a̸̧̛͔l̵̨̛̰g̷̢̛̹o̶̧̕ ̵e" + "\u0301" * 40
RTL_OVERRIDE = "\u202egnp.exe\u202c Cyfarfod"
EMOJI = "🎉🏴\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f👩\u200d👩\u200d👧\u200d👦"

# Free text a member might put in any name, title, place or organisation field.
TEXTS: list[tuple[str, str]] = [
    ("whitespace", "   "),
    ("unicode whitespace", "\t\u00a0\u2003\u3000"),
    ("zero width", "\u200b\u200b"),
    ("rtl override", RTL_OVERRIDE),
    ("hebrew", "פגישת רשת הפקה משותפת"),
    ("arabic", "اجتماع شبكة الإنتاج المشترك"),
    ("combining", COMBINING),
    ("emoji", EMOJI),
    ("welsh", WELSH),
    ("everyone", "@everyone"),
    ("here", "@here come"),
    ("role mention", "<@&{role}> please come"),
    ("user mention", "<@{user}>"),
    ("nick mention", "<@!{user}>"),
    ("channel mention", "<#{channel}>"),
    ("all mentions", "@everyone <@&{role}> <@{user}> @here"),
    ("bold", "**bold** __under__ ~~strike~~"),
    ("spoiler", "||spoiler||"),
    ("code block", "```py\nprint('hi')\n```"),
    ("stray backticks", "` `` ```"),
    ("masked link", "[click me](https://example.com/phish)"),
    ("heading and quote", "# Heading\n> quote\n- item"),
    ("sql drop", "'; DROP TABLE events; --"),
    ("sql letters", "Robert'); DROP TABLE letters;--"),
    ("sql or", '" OR "1"="1'),
    ("like wildcards", "%_%\\"),
    ("control characters", "\x00\x1b[31mred\x07 bell"),
    ("format fields", "{title} {0} {text!r} %s %(x)d"),
    ("html", "<script>alert(1)</script>"),
    ("null word", "NULL"),
    ("backslashes", "\\\\n \\u0000"),
    ("newlines", "line one\r\nline two\n\n\n\nline three"),
    ("welsh place", "Ŵyl Dewi Sant, Tŷ Newydd, Llanystumdwy"),
    ("welsh decomposed", "Tw\u0302r Ffy\u0302nnon"),  # ŵ and ŷ as w/y + combining circumflex
    ("one long word", "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch" * 2),
    ("flag alone", "🏴\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f"),
    ("byte order mark", "\ufeffCyfarfod"),
    ("line separator", "one\u2028two\u2029three"),
    ("joiner alone", "\u200d"),
    ("mixed direction", "Cyfarfod \u05d0\u05d1 123 \u0627\u0644"),
    ("fullwidth", "Ｃｙｆａｒｆｏｄ　ＡＧＭ"),
    ("mathematical letters", "𝐂𝐲𝐟𝐚𝐫𝐟𝐨𝐝"),
    ("everyone lookalike", "@\u200beveryone ＠everyone @еveryone"),
    ("role mention spaced", "< @&{role} > <@& {role}>"),
    ("slash command mention", "</events create:1> <t:0:F> <a:x:1>"),
    # Markdown that must show as typed (issue 15), and spreadsheet formulas for the CSVs.
    ("markdown flood", ("*_~|`[]<\\#>-" * 500)[:6000]),  # all escaped: twice as long
    ("small print", "-# small print"),
    ("numbered list", "1. one\n2) two\n+ three"),
    ("masked link in angles", "[x](<https://evil.example>) [y]( https://evil.example )"),
    ("link with markdown in it", "https://example.com/a_b_c?x=*1*&y=~2~"),
    ("escaped already", "\\*not bold\\* and a lone \\"),
    ("angle markup", "<t:0:F> <#1> <https://evil.example> <:e:1>"),
    ("formula after a separator", "x;=1+1, +SUM(A1)\t@x"),
    ("full-width formula", '＝HYPERLINK("https://evil.example")'),
]

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Welsh month names, Ionawr (the first) first.
WELSH_MONTHS = (
    "Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin",
    "Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr",
)  # fmt: skip
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def gmt_evening(now: datetime, *, days: int = 5, at: str = "18:30") -> datetime:
    """The first `at` at least `days` local days after now's when London keeps GMT, so a
    time typed with `Z` or `UTC` agrees with the server's clock."""
    for ahead in range(days, days + 400):
        moment = at_local(now, days=ahead, at=at)
        if moment.astimezone(LONDON).utcoffset() == timedelta(0):
            return moment
    raise ValueError(f"no GMT day within 400 days of {now}")


def next_leap_day(now: datetime) -> date:
    """The first leap day (29/02) after now's local day."""
    year = local_date(now).year
    while not calendar.isleap(year) or date(year, 2, 29) <= local_date(now):
        year += 1
    return date(year, 2, 29)


def whens(now: datetime) -> list[tuple[str, str]]:
    """Text typed into the free-text `when` (and a letter's `closes`), wrong in every shape; a
    few are right. Built from `now`, the test's clock (the bot's too), in Europe/London, so
    what is ahead stays ahead, and what is refused is refused for its shape, on any day."""
    soon = at_local(now, days=5)  # 18:30 local, five days on
    local = soon.astimezone(LONDON)
    day, year = day_typed(soon), local.year
    winter = typed(gmt_evening(now))
    half_year = (local_date(now) + timedelta(days=200)).replace(day=5)  # day and month both <= 12
    leap = next_leap_day(now)
    not_leap = year + 1 if calendar.isleap(year) else year  # this year's 29/02, or next's
    wrong_weekday = WEEKDAY_NAMES[(local.weekday() + 1) % 7]  # not the weekday of `soon`
    return [
        ("", "when_empty"),
        ("   ", "when_empty"),
        ("banana", "when_unreadable"),
        (f"{year + 1}-13-01 10:00", "when_unreadable"),
        (f"{year + 1}-02-30 10:00", "when_unreadable"),
        (f"{day} 24:00", "when_unreadable"),
        (f"{day} 18:60", "when_unreadable"),
        (f"{local:%Y-%m}-00 18:00", "when_unreadable"),
        (f"{local:%d/%m/%Y}", "when_no_time"),
        (f"12/31/{year + 1} 10:00", "when_unreadable"),
        (f"{local:%Y%m%dT%H%M}", "error"),
        (str(stamp(soon)), "error"),
        ("yesterday 10am", "when_past"),
        (typed(at_local(now, days=-10_000, at="10:00")), "when_past"),  # 27 years ago
        ("0001-01-01 00:00", "error"),
        ("9999-12-31 23:59", "when_too_far"),
        (typed(at_local(now, days=5 * 366, at="10:00")), "when_too_far"),
        (f"{day_typed(clock_change(now, forward=True))} 01:30", "when_nonexistent"),
        ("tomorrow 25pm", "error"),
        ("tomorrow 13pm", "error"),
        ("next blursday 7pm", "error"),
        (f"{wrong_weekday} {local.day} {local:%b %Y} 10am", "when_unreadable"),
        ("31 Feb 10am", "error"),
        (f"{local.day} {local:%b}", "when_no_time"),
        ("12", "when_unreadable"),
        ("-1", "error"),
        ("0", "error"),
        ("in 0 minutes", "error"),
        ("in -5 hours", "error"),
        (f"{winter} +05:00", "error"),
        (winter.replace(" ", "T") + "Z", "ok"),
        ("🎉", "error"),
        ("@everyone 7pm", "error"),
        ("'; DROP TABLE events; --", "error"),
        ("\u202e" + typed(soon), "any"),
        (LONG, "when_unreadable"),
        (f"{local.day} {local:%b} 6:30pm", "ok"),
        ("tomorrow 10am", "ok"),
        ("dydd Llun 10am", "any"),
        (typed(soon) + "\u200b", "any"),
        (f"{half_year:%d/%m/%Y} 10:00", "ok"),
        ("yfory 10yb", "ok"),
        ("canol dydd yfory", "ok"),
        (f"18:30 {local.day} {WELSH_MONTHS[local.month - 1]}", "ok"),
        (f"{local:%d/%m/%Y %H:%M}".translate(ARABIC_INDIC), "ok"),  # Arabic-Indic digits
        (typed(soon).translate(FULL_WIDTH), "ok"),  # full-width digits
        (f"{winter} UTC", "ok"),
        (f"{winter} GMT+14", "error"),
        (f"{winter} IST", "error"),
        (f"29 Feb {not_leap} 10am", "error"),
        (f"{leap:%d/%m/%Y} 10:00", "ok"),
        ("tomorrow at 10am" * 6, "error"),
        ("in 0.0001 minutes", "error"),
        ("in 1e400 hours", "error"),
        (typed(soon) + " x" * 50, "error"),
    ]


DURATIONS: list[tuple[str, str]] = [
    ("0m", "duration_out_of_range"),
    ("0", "duration_unreadable"),
    ("-1h", "duration_out_of_range"),
    ("-", "duration_unreadable"),
    ("8d", "duration_out_of_range"),
    ("99999999999999999999h", "duration_out_of_range"),
    ("0.4m", "duration_out_of_range"),
    ("1e5h", "duration_unreadable"),
    ("nan h", "duration_unreadable"),
    ("inf h", "duration_unreadable"),
    ("long", "duration_unreadable"),
    ("2 fortnights", "duration_unreadable"),
    ("🎉", "duration_unreadable"),
    ("   ", "any"),
    (LONG, "duration_unreadable"),
    ("1h30m", "ok"),
    ("7d", "ok"),
    ("９h", "ok"),  # a full-width digit
    ("²h", "duration_unreadable"),
    ("1h²", "duration_unreadable"),
    ("90 minutes and 1 week", "duration_out_of_range"),
]

# An event's or a server's reminder times: at most six, each from 5 minutes to 28 days, none
# twice (issue 15).
OFFSETS: list[tuple[str, str]] = [
    ("0m", "reminders_out_of_range"),
    ("-1h", "offsets_unreadable"),
    ("61d", "reminders_out_of_range"),
    ("99999999999999999999d", "reminders_out_of_range"),
    ("4m", "reminders_out_of_range"),
    ("29d", "reminders_out_of_range"),
    ("5m,28d", "ok"),
    ("7d,3d,1d,6h,1h,30m", "ok"),
    ("7d,3d,1d,6h,2h,1h,30m", "offsets_too_many"),
    (",".join(f"{m}m" for m in range(5, 1300))[:6000].rsplit(",", 1)[0], "offsets_too_many"),
    ("1d,24h", "offsets_repeated"),
    ("1h" + " " * 3000 + ",60" + " " * 2900 + "m", "offsets_repeated"),
    ("1h,", "offsets_unreadable"),
    (",,,", "offsets_unreadable"),
    ("1 fortnight", "offsets_unreadable"),
    ("1.5h", "offsets_unreadable"),
    ("🎉", "offsets_unreadable"),
    ("'; DROP TABLE reminders; --", "offsets_unreadable"),
    (("1h," * 2000)[:6000], "offsets_unreadable"),
    ("7d,7d,7d,1h", "offsets_repeated"),
    ("30m", "ok"),
    ("1d and 1h", "ok"),
    ("1m,60d", "reminders_out_of_range"),
    ("²h", "offsets_unreadable"),
]

# A member's own reminder: one offset.
BEFORES: list[tuple[str, str]] = [
    ("0m", "offset_out_of_range"),
    ("-30m", "offsets_unreadable"),
    ("61d", "offset_out_of_range"),
    ("99999999999999999999d", "offset_out_of_range"),
    ("1d,1h", "reminder_one_offset"),
    ("", "offsets_unreadable"),
    ("   ", "offsets_unreadable"),
    ("soon", "offsets_unreadable"),
    ("🎉", "offsets_unreadable"),
    ("@everyone", "offsets_unreadable"),
    (LONG, "offsets_unreadable"),
    ("30d", "reminder_too_late"),
    ("3 weeks", "reminder_too_late"),
    ("²h", "offsets_unreadable"),
    ("2h", "ok"),
]

# /setup retention months: Discord's number box lets any whole number through (up to 2**53).
RETENTIONS: list[tuple[int, str]] = [
    (0, "retention_out_of_range"),
    (-1, "retention_out_of_range"),
    (-(2**53) + 1, "retention_out_of_range"),
    (121, "retention_out_of_range"),
    (2**53 - 1, "retention_out_of_range"),
    (1, "ok"),
    (120, "ok"),
    (24, "ok"),
]

ZONES: list[tuple[str, str]] = [
    ("", "timezone_unknown"),
    ("   ", "timezone_unknown"),
    ("Mars/Olympus_Mons", "timezone_unknown"),
    ("../../etc/passwd", "timezone_unknown"),
    ("Europe/London\x00", "timezone_unknown"),
    ("localtime", "timezone_unknown"),
    ("Factory", "timezone_unknown"),
    ("GMT+25", "timezone_unknown"),
    ("@everyone", "timezone_unknown"),
    ("'; DROP TABLE guild_settings; --", "timezone_unknown"),
    ("Ewrop/Llundain ŵ", "timezone_unknown"),
    (LONG, "timezone_unknown"),
    ("europe/london", "ok"),
    ("America/Argentina/Buenos_Aires", "ok"),
    ("Europe/London", "ok"),
    ("Europe/Kyiv", "ok"),
    ("UTC", "ok"),
    ("america/new york", "ok"),
]

TIMES_OF_DAY: list[tuple[str, str]] = [
    ("", "time_of_day_unreadable"),
    ("25:00", "time_of_day_unreadable"),
    ("09:60", "time_of_day_unreadable"),
    ("-1:00", "time_of_day_unreadable"),
    ("13pm", "time_of_day_unreadable"),
    ("99999999999999999999:00", "time_of_day_unreadable"),
    ("nine", "time_of_day_unreadable"),
    ("01:30", "digest_early_hours"),
    ("🎉", "time_of_day_unreadable"),
    ("'; DROP TABLE guild_settings; --", "time_of_day_unreadable"),
    (LONG, "time_of_day_unreadable"),
    ("noon", "ok"),
    ("9:30pm", "ok"),
    ("²:00", "time_of_day_unreadable"),
    ("１８:３０", "ok"),
    ("midnight", "ok"),
]

# What a member could put in an option filled by autocomplete (an id is expected).
REFS: list[str] = [
    "999999",
    "0",
    "-1",
    "abc",
    "",
    "   ",
    "9" * 18,
    "9" * 19,
    "9" * 40,
    "1.5",
    "1e3",
    "０",  # a full-width digit
    "١٢",  # Arabic-Indic digits
    "1 OR 1=1",
    "'; DROP TABLE events; --",
    "%",
    "_",
    "@everyone",
    "<@&{role}>",
    "🎉",
    WELSH,
    LONG,
    "1\u200b",
    " 1 2 ",
    "0x1",
    "+1",
    "1_000",
    "NaN",
]

# Channels an organiser may name in `channel:` (/events create, /letter create): the Organiser
# role's and @everyone's overwrites there, and the answer. The bot may post in each (its own
# overwrite), so a refusal is about the organiser: they must see and send there themselves.
VIEW_CHANNEL, SEND_MESSAGES = 1 << 10, 1 << 11
CHANNELS: list[tuple[str, dict[str, int], str]] = [
    ("hidden from organisers", {"organisers_deny": VIEW_CHANNEL}, "channel_not_yours"),
    ("read-only for organisers", {"organisers_deny": SEND_MESSAGES}, "channel_not_yours"),
    (
        "send but not see",
        {"organisers_allow": SEND_MESSAGES, "organisers_deny": VIEW_CHANNEL},
        "channel_not_yours",
    ),
    ("hidden from everyone", {"everyone_deny": VIEW_CHANNEL}, "channel_not_yours"),
    (
        "hidden from everyone but organisers",
        {"everyone_deny": VIEW_CHANNEL, "organisers_allow": VIEW_CHANNEL | SEND_MESSAGES},
        "ok",
    ),
]


# --- cases -------------------------------------------------------------------------------------


@dataclass
class Case:
    """One command with hostile options; `expect` is "ok", "error" (any clear refusal), "any"
    (either), or the key of the refusal in bot.text.ERRORS."""

    who: str  # "organiser", "admin" or "member"
    path: str
    options: dict[str, Any]
    expect: str = "any"
    forged: dict[str, Any] = field(default_factory=dict)  # sent past the declared limits
    label: str = ""


def fill(value: Any, ids: Mapping[str, int]) -> Any:
    if isinstance(value, str) and "{" in value:
        for name, number in ids.items():
            value = value.replace("{" + name + "}", str(number))
    return value


def fit(value: str, limit: int) -> str:
    return value[:limit]


def total_inputs(groups: Mapping[str, list[Case]], extra: int = 0) -> int:
    return sum(len(cases) for cases in groups.values()) + extra
