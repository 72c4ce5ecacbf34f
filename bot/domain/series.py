"""Meeting series: numbered meetings hosted in turn by member organisations."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.errors import UserError
from bot.domain.events import HOST_MAX, Region, clean_line

NAME_MAX = 90  # leaves room for " 123" within an event title of 100
HOSTS_MAX = 20
NUMBER_MAX = 9999


@dataclass(frozen=True)
class Series:
    id: int
    guild_id: int
    name: str
    hosts: tuple[str, ...]
    region: Region | None
    next_number: int


def parse_hosts(text: str) -> tuple[str, ...]:
    """A comma-separated rota of host organisations, in order; blanks dropped."""
    hosts = []
    for part in text.split(","):
        host = clean_line(part, "host", HOST_MAX)
        if host:
            hosts.append(host)
    if len(hosts) > HOSTS_MAX:
        raise UserError("series_too_many_hosts", limit=HOSTS_MAX)
    return tuple(hosts)


def clean_name(name: str) -> str:
    cleaned = clean_line(name, "series name", NAME_MAX)
    if cleaned is None:
        raise UserError("series_name_missing")
    return cleaned


def check_number(number: int | None) -> int | None:
    if number is not None and not 1 <= number <= NUMBER_MAX:
        raise UserError("series_number_out_of_range", limit=NUMBER_MAX)
    return number


def host_for(series: Series, number: int) -> str | None:
    """Meeting n takes the rota's n-th host, counting round."""
    if not series.hosts:
        return None
    return series.hosts[(number - 1) % len(series.hosts)]


def meeting_title(series: Series, number: int) -> str:
    return f"{series.name} {number}"
