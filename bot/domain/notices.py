"""A direct message owed to a member, as data: services decide, the Discord side renders it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Notice:
    """`key` names a sentence in bot.text.NOTICES; `params` fill it (member text made safe
    by the renderer). `nonce`, when set, makes Discord drop a repeat within minutes.
    `guild_id`: the server it is about, whose member's language choice (or mode) it is in."""

    user_id: int
    key: str
    params: dict[str, object] = field(default_factory=dict)
    nonce: str | None = None
    guild_id: int | None = None
