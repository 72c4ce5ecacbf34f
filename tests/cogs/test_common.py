"""Helpers every cog shares."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from bot.domain.notices import Notice
from bot.services.reminders import DMS_IN_FLIGHT
from cogs.common import send_all
from tests.support.fakes import FakeNotifier


class SlowNotifier(FakeNotifier):
    """Each DM takes a round trip; counts how many are in flight at once."""

    def __init__(self) -> None:
        super().__init__()
        self.in_flight = 0
        self.most_in_flight = 0

    async def send(self, notice: Notice) -> bool:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await asyncio.sleep(0.01)
        self.in_flight -= 1
        return await super().send(notice)


async def test_send_all_sends_each_notice_once_several_at_a_time() -> None:
    notifier = SlowNotifier()
    notifier.closed = {3, 7}
    notices = [Notice(user_id, "event_cancelled", {"title": "Meeting"}) for user_id in range(40)]
    bot: Any = SimpleNamespace(notifier=notifier)
    await send_all(bot, notices)
    assert sorted(n.user_id for n in notifier.sent) == [u for u in range(40) if u not in {3, 7}]
    assert notifier.most_in_flight == DMS_IN_FLIGHT


async def test_send_all_with_nothing_owed_sends_nothing() -> None:
    notifier = SlowNotifier()
    await send_all(SimpleNamespace(notifier=notifier), [])  # type: ignore[arg-type]
    assert notifier.sent == [] and notifier.most_in_flight == 0
