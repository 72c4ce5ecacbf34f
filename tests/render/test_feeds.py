"""/events subscribe's answer and a feed's name."""

from __future__ import annotations

import pytest

from bot import text
from bot.domain.events import Region
from bot.render.feeds import feed_name, feed_url, subscribe_reply, webcal_url

TOKEN = "Abc_-" + "x" * 27


@pytest.mark.parametrize("mine", [False, True])
@pytest.mark.parametrize("region", [None, Region.SOUTH])
@pytest.mark.parametrize("retired", [0, 1, 3])
def test_the_answer_gives_both_forms_and_what_stopped(
    mine: bool, region: Region | None, retired: int
) -> None:
    url = feed_url("https://bot.example.org/copro", TOKEN)
    assert url == f"https://bot.example.org/copro/feeds/{TOKEN}.ics"
    reply = subscribe_reply(url, mine=mine, region=region, retired=retired)
    assert f"<{url}>" in reply  # in angle brackets: no link preview in Discord
    assert f"`{webcal_url(url)}`" in reply
    assert ("South Wales" in reply) is (region is not None)
    assert ("going or maybe" in reply) is mine
    assert (text.SUBSCRIBE_RESET in reply) is (retired == 1)
    assert ("3 earlier addresses" in reply) is (retired == 3)
    assert len(reply) < 2000
    long = feed_url("https://" + "a" * 200 + ".example.org", TOKEN)
    assert len(subscribe_reply(long, mine=mine, region=region, retired=retired)) < 2000


def test_a_feed_is_named_for_what_it_holds() -> None:
    assert feed_name(False, None) == text.CALENDAR_NAME
    assert feed_name(True, None) == text.FEED_NAME_MINE
    assert feed_name(True, Region.NORTH) == f"{text.FEED_NAME_MINE} · North Wales"
