"""/privacy forget's reply (what was deleted, the reactions left on posts) and /network stats."""

from __future__ import annotations

import pytest

from bot import text
from bot.domain.events import Region
from bot.domain.languages import Language
from bot.domain.network import NetworkStats, RegionCount
from bot.domain.rsvps import GOING_EMOJI, MAYBE_EMOJI
from bot.i18n import speaking
from bot.render.common import CONTENT_MAX
from bot.render.network import ReactionLeft, forgotten_reply, stats_embed

GUILD, CHANNEL = 900_000_000_000_000_001, 900_000_000_000_000_100


def left(n: int, *, refused: bool = True) -> list[ReactionLeft]:
    return [
        ReactionLeft(GUILD, CHANNEL, 1_500_000_000_000_000_000 + i, GOING_EMOJI, refused)
        for i in range(n)
    ]


def test_nothing_left_says_only_what_was_removed() -> None:
    assert forgotten_reply({"rsvps": 2}) == text.PRIVACY_FORGOTTEN.format(parts="2 RSVPs")
    assert forgotten_reply({"rsvps": 0}) == text.PRIVACY_NOTHING


def test_each_reaction_left_says_where_why_and_what_to_do() -> None:
    reply = forgotten_reply(
        {"rsvps": 2},
        [*left(1), ReactionLeft(GUILD, CHANNEL + 1, 7, MAYBE_EMOJI, refused=False)],
    )
    first = f"https://discord.com/channels/{GUILD}/{CHANNEL}/1500000000000000000"
    assert f"your {GOING_EMOJI} on {first}: I may not remove reactions in <#{CHANNEL}>" in reply
    assert f"your {MAYBE_EMOJI} on https://discord.com/channels/{GUILD}/{CHANNEL + 1}/7" in reply
    assert "Discord did not let me" in reply
    assert text.PRIVACY_REACTIONS_LEFT in reply and text.PRIVACY_REACTIONS_KEPT in reply


@pytest.mark.parametrize("count", [1, 10, 11, 40, 500])
def test_many_reactions_left_fit_in_one_message(count: int) -> None:
    reply = forgotten_reply({"rsvps": count, "signatures": 3, "reminders": 4}, left(count))
    assert len(reply) <= CONTENT_MAX
    shown = reply.count("• your ")
    more = [line for line in reply.splitlines() if line.startswith("• and ")]
    assert shown + (int(more[0].split()[2]) if more else 0) == count
    assert reply.endswith(text.PRIVACY_REACTIONS_KEPT)


@pytest.mark.parametrize(
    ("people", "organisations", "english", "welsh"),
    [
        (1, 1, "1 member from 1 organisation", "1 aelod o 1 sefydliad"),
        (2, 1, "2 members from 1 organisation", "2 aelod o 1 sefydliad"),
        (82, 41, "82 members from 41 organisations", "82 aelod o 41 sefydliad"),
    ],
)
def test_the_network_headline_counts_in_each_language(
    people: int, organisations: int, english: str, welsh: str
) -> None:
    stats = NetworkStats(people, organisations, [RegionCount(Region.SOUTH, people, organisations)])
    with speaking(Language.EN):
        embed = stats_embed(stats)
    assert embed.description == english
    assert embed.fields[0].value == english.replace(" from ", " · ")
    with speaking(Language.CY):
        embed = stats_embed(stats)
    assert embed.description == welsh
    assert embed.fields[0].value == welsh.replace(" o ", " · ")
