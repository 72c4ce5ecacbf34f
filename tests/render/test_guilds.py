"""Server settings as members read them: zone names shown as written."""

from __future__ import annotations

from datetime import UTC, datetime, time

from bot.domain.guilds import GuildSettings
from bot.render.guilds import digest_saved, settings_embed, timezone_saved
from tests.support.markdown import shown_as_typed

ZONE = "America/Port_of_Spain"  # two underscores: italics, unless escaped
SPAIN = GuildSettings(guild_id=1, tz=ZONE, digest_day="friday", digest_time=time(16, 30))


def test_a_zone_with_underscores_is_not_italic() -> None:
    assert shown_as_typed(timezone_saved(SPAIN, datetime.now(UTC)), ZONE, links=True) is None
    assert shown_as_typed(digest_saved(SPAIN), f"Fridays at 16:30 ({ZONE})", links=True) is None
    values = [field.value or "" for field in settings_embed(SPAIN).fields]
    assert sum(shown_as_typed(value, ZONE, links=True) is None for value in values) == 2
