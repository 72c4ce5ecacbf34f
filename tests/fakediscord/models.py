"""The stand-in's state: plain dataclasses a test can read, each able to render Discord's JSON."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import discord

from .ids import iso

ADMINISTRATOR = 1 << 3
# What Discord reports for an administrator: every permission bit it documents.
ALL_PERMISSIONS = discord.Permissions.all().value

FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7

TEXT, DM, CATEGORY = 0, 1, 4


def emoji_key(emoji: str) -> str:
    """Normalise an emoji as a route or a test names it: '✅', 'name:id', '<:name:id>'."""
    match = re.fullmatch(r"<a?:(\w+):(\d+)>", emoji)
    if match:
        return f"{match.group(1)}:{match.group(2)}"
    return emoji


def emoji_payload(key: str) -> dict[str, Any]:
    if re.fullmatch(r"\w+:\d+", key):
        name, emoji_id = key.split(":")
        return {"id": emoji_id, "name": name, "animated": False}
    return {"id": None, "name": key}


@dataclass
class User:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False
    dms_open: bool = True
    locale: str = "en-GB"

    @property
    def display_name(self) -> str:
        return self.global_name or self.username

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": None,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
            "primary_guild": None,
            "collectibles": None,
        }
        if self.bot:
            data["bot"] = True
        return data

    def close_dms(self) -> None:
        """The member turned off DMs from server members: DMs to them answer 403 / 50007."""
        self.dms_open = False

    def open_dms(self) -> None:
        self.dms_open = True


@dataclass
class Role:
    id: int
    guild_id: int
    name: str
    permissions: int = 0
    position: int = 0
    color: int = 0
    hoist: bool = False
    mentionable: bool = False
    managed: bool = False
    bot_id: int | None = None

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "name": self.name,
            "description": None,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": self.color,
            "colors": {
                "primary_color": self.color,
                "secondary_color": None,
                "tertiary_color": None,
            },
            "hoist": self.hoist,
            "managed": self.managed,
            "mentionable": self.mentionable,
            "icon": None,
            "unicode_emoji": None,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data


@dataclass
class Member:
    guild_id: int
    user: User
    role_ids: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: datetime | None = None

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def display_name(self) -> str:
        return self.nick or self.user.display_name

    def close_dms(self) -> None:
        self.user.close_dms()

    def open_dms(self) -> None:
        self.user.open_dms()

    def payload(self, *, with_user: bool = True, permissions: int | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "roles": [str(r) for r in self.role_ids],
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "joined_at": iso(self.joined_at),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
            "unusual_dm_activity_until": None,
        }
        if with_user:
            data["user"] = self.user.payload()
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data


@dataclass
class Overwrite:
    id: int
    type: int  # 0 role, 1 member
    allow: int = 0
    deny: int = 0

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "type": self.type,
            "allow": str(self.allow),
            "deny": str(self.deny),
        }


@dataclass
class Attachment:
    id: int
    filename: str
    data: bytes
    url: str
    description: str | None = None
    ephemeral: bool = False

    @property
    def content_type(self) -> str:
        guessed, _ = mimetypes.guess_type(self.filename)
        return guessed or "application/octet-stream"

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "filename": self.filename,
            "size": len(self.data),
            "url": self.url,
            "proxy_url": self.url,
            "content_type": self.content_type,
        }
        if self.description is not None:
            data["description"] = self.description
        if self.ephemeral:
            data["ephemeral"] = True
        return data


@dataclass
class Message:
    id: int
    channel_id: int
    guild_id: int | None
    author: User
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    flags: int = 0
    type: int = 0
    created_at: datetime | None = None
    edited_at: datetime | None = None
    nonce: str | None = None
    webhook_id: int | None = None
    application_id: int | None = None
    interaction_metadata: dict[str, Any] | None = None
    allowed_mentions: dict[str, Any] | None = None
    # emoji key → user ids in the order they reacted
    reactions: dict[str, list[int]] = field(default_factory=dict)
    deleted: bool = False
    edits: int = 0
    # every earlier (content, embeds) of the message, oldest first
    history: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & FLAG_EPHEMERAL)

    @property
    def loading(self) -> bool:
        return bool(self.flags & FLAG_LOADING)

    @property
    def files(self) -> dict[str, bytes]:
        return {a.filename: a.data for a in self.attachments}

    @property
    def text(self) -> str:
        """Content, then each embed's author, title, description, fields and footer, one a line."""
        parts = [self.content] if self.content else []
        for embed in self.embeds:
            parts.extend(embed_texts(embed))
        return "\n".join(parts)

    def buttons(self) -> list[dict[str, Any]]:
        return [c for c in walk_components(self.components) if c.get("type") == 2]

    def button(self, label_or_id: str) -> dict[str, Any]:
        for button in self.buttons():
            if label_or_id in (button.get("label"), button.get("custom_id")):
                return button
        raise KeyError(f"no button {label_or_id!r} on message {self.id}")

    def reactors(self, emoji: str) -> list[int]:
        return list(self.reactions.get(emoji_key(emoji), []))

    def mentions(self, guild_members: dict[int, Member] | None = None) -> dict[str, Any]:
        """Who this message pings, after `allowed_mentions`: users, roles, everyone."""
        user_ids = [int(m) for m in re.findall(r"<@!?(\d+)>", self.content)]
        role_ids = [int(m) for m in re.findall(r"<@&(\d+)>", self.content)]
        everyone = "@everyone" in self.content or "@here" in self.content
        allowed = self.allowed_mentions
        if allowed is None:
            default_parse = ["users"] if self.webhook_id else ["users", "roles", "everyone"]
            allowed = {"parse": default_parse}
        parse = allowed.get("parse", [])
        allowed_users = {int(u) for u in allowed.get("users", [])}
        allowed_roles = {int(r) for r in allowed.get("roles", [])}
        return {
            "users": [u for u in user_ids if "users" in parse or u in allowed_users],
            "roles": [r for r in role_ids if "roles" in parse or r in allowed_roles],
            "everyone": everyone and "everyone" in parse,
        }

    def payload(self, *, me_id: int, member: Member | None = None) -> dict[str, Any]:
        pings = self.mentions()
        data: dict[str, Any] = {
            "id": str(self.id),
            "channel_id": str(self.channel_id),
            "author": self.author.payload(),
            "content": self.content,
            "timestamp": iso(self.created_at),
            "edited_timestamp": iso(self.edited_at),
            "tts": False,
            "mention_everyone": pings["everyone"],
            "mentions": [],
            "mention_roles": [str(r) for r in pings["roles"]],
            "attachments": [a.payload() for a in self.attachments],
            "embeds": list(self.embeds),
            "pinned": False,
            "type": self.type,
            "flags": self.flags,
            "components": list(self.components),
        }
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
        if member is not None:
            data["member"] = member.payload(with_user=False)
        if self.nonce is not None:
            data["nonce"] = self.nonce
        if self.webhook_id is not None:
            data["webhook_id"] = str(self.webhook_id)
        if self.application_id is not None:
            data["application_id"] = str(self.application_id)
        if self.interaction_metadata is not None:
            data["interaction_metadata"] = self.interaction_metadata
        if self.reactions:
            data["reactions"] = [
                {
                    "emoji": emoji_payload(key),
                    "count": len(users),
                    "count_details": {"burst": 0, "normal": len(users)},
                    "me": me_id in users,
                    "me_burst": False,
                    "burst_colors": [],
                }
                for key, users in self.reactions.items()
                if users
            ]
        return data


def embed_texts(embed: dict[str, Any]) -> Iterator[str]:
    author = embed.get("author") or {}
    if author.get("name"):
        yield author["name"]
    for key in ("title", "description"):
        if embed.get(key):
            yield embed[key]
    for embed_field in embed.get("fields") or []:
        yield f"{embed_field.get('name', '')}: {embed_field.get('value', '')}"
    footer = embed.get("footer") or {}
    if footer.get("text"):
        yield footer["text"]


def walk_components(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for component in components:
        yield component
        yield from walk_components(component.get("components") or [])
        if isinstance(component.get("component"), dict):
            yield from walk_components([component["component"]])
        if isinstance(component.get("accessory"), dict):
            yield from walk_components([component["accessory"]])


@dataclass
class Channel:
    id: int
    type: int
    name: str | None = None
    guild_id: int | None = None
    position: int = 0
    topic: str | None = None
    parent_id: int | None = None
    recipient_id: int | None = None
    overwrites: list[Overwrite] = field(default_factory=list)
    messages: dict[int, Message] = field(default_factory=dict)

    def visible_messages(self, *, include_ephemeral: bool = False) -> list[Message]:
        return [
            m
            for m in self.messages.values()
            if not m.deleted and (include_ephemeral or not m.ephemeral)
        ]

    @property
    def last_message_id(self) -> int | None:
        visible = self.visible_messages()
        return visible[-1].id if visible else None

    def payload(self, *, recipients: list[User] | None = None) -> dict[str, Any]:
        last = self.last_message_id
        if self.type == DM:
            return {
                "id": str(self.id),
                "type": DM,
                "last_message_id": str(last) if last else None,
                "recipients": [u.payload() for u in recipients or []],
                "flags": 0,
            }
        data: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [o.payload() for o in self.overwrites],
            "parent_id": str(self.parent_id) if self.parent_id else None,
            "nsfw": False,
            "flags": 0,
        }
        if self.type == TEXT:
            data.update(
                topic=self.topic,
                last_message_id=str(last) if last else None,
                rate_limit_per_user=0,
                default_auto_archive_duration=1440,
            )
        return data


@dataclass
class ScheduledEvent:
    id: int
    guild_id: int
    creator_id: int
    name: str
    start: datetime
    end: datetime | None
    entity_type: int
    description: str | None = None
    channel_id: int | None = None
    location: str | None = None
    status: int = 1
    privacy_level: int = 2
    image: str | None = None
    interested: list[int] = field(default_factory=list)
    deleted: bool = False

    def payload(self, *, creator: User | None, with_user_count: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "guild_id": str(self.guild_id),
            "channel_id": str(self.channel_id) if self.channel_id else None,
            "creator_id": str(self.creator_id),
            "name": self.name,
            "description": self.description,
            "scheduled_start_time": iso(self.start),
            "scheduled_end_time": iso(self.end),
            "privacy_level": self.privacy_level,
            "status": self.status,
            "entity_type": self.entity_type,
            "entity_id": None,
            "entity_metadata": {"location": self.location} if self.location is not None else None,
            "image": self.image,
            "recurrence_rule": None,
        }
        if creator is not None:
            data["creator"] = creator.payload()
        if with_user_count:
            data["user_count"] = len(self.interested)
        return data


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    everyone_role_id: int
    preferred_locale: str = "en-GB"
    roles: dict[int, Role] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    events: dict[int, ScheduledEvent] = field(default_factory=dict)
    created_at: datetime | None = None

    @property
    def everyone(self) -> Role:
        return self.roles[self.everyone_role_id]

    def role(self, name: str) -> Role:
        for role in self.roles.values():
            if role.name == name:
                return role
        raise KeyError(f"no role {name!r} in {self.name}")

    def channel(self, name: str) -> Channel:
        wanted = name.lstrip("#")
        for channel in self.channels.values():
            if channel.name == wanted:
                return channel
        raise KeyError(f"no channel {name!r} in {self.name}")

    def member(self, name: str) -> Member:
        for member in self.members.values():
            if name in (member.display_name, member.user.username, member.nick):
                return member
        raise KeyError(f"no member {name!r} in {self.name}")

    def base_permissions(self, member: Member) -> int:
        if member.id == self.owner_id:
            return ALL_PERMISSIONS
        value = self.everyone.permissions
        for role_id in member.role_ids:
            role = self.roles.get(role_id)
            if role is not None:
                value |= role.permissions
        return ALL_PERMISSIONS if value & ADMINISTRATOR else value

    def permissions_in(self, member: Member, channel: Channel | None) -> int:
        """Discord's permission algorithm: base, then @everyone, role and member overwrites."""
        value = self.base_permissions(member)
        if channel is None or value & ADMINISTRATOR or value == ALL_PERMISSIONS:
            return value
        by_id = {o.id: o for o in channel.overwrites}
        everyone = by_id.get(self.id)
        if everyone is not None:
            value = (value & ~everyone.deny) | everyone.allow
        allow = deny = 0
        for role_id in member.role_ids:
            overwrite = by_id.get(role_id)
            if overwrite is not None and overwrite.type == 0:
                allow |= overwrite.allow
                deny |= overwrite.deny
        value = (value & ~deny) | allow
        mine = by_id.get(member.id)
        if mine is not None and mine.type == 1:
            value = (value & ~mine.deny) | mine.allow
        return value


@dataclass
class Command:
    """An application command as registered by a sync (global when guild_id is None)."""

    id: int
    application_id: int
    guild_id: int | None
    data: dict[str, Any]
    version: int

    @property
    def name(self) -> str:
        return str(self.data["name"])

    @property
    def type(self) -> int:
        return int(self.data.get("type", 1))

    def payload(self) -> dict[str, Any]:
        data = {
            "description": "",
            "options": [],
            "default_member_permissions": None,
            "nsfw": False,
            "type": 1,
            **self.data,
            "id": str(self.id),
            "application_id": str(self.application_id),
            "version": str(self.version),
        }
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
        return data


@dataclass
class Upload:
    """One `files[n]` part of a multipart body."""

    filename: str
    data: bytes
    content_type: str | None = None


@dataclass
class InteractionRecord:
    """One interaction the stand-in dispatched, and everything the bot answered to it."""

    id: int
    token: str
    type: int
    user: User
    guild_id: int | None
    channel_id: int
    data: dict[str, Any]
    payload: dict[str, Any]
    dispatched_at: float  # monotonic: the 3 s deadline is about real time
    created_at: datetime  # server clock: the 15 min token lifetime follows the (fake) clock
    command_path: str | None = None
    # the message a component was on (component interactions, modal submits from components)
    message_id: int | None = None
    response_type: int | None = None
    response_data: dict[str, Any] | None = None
    responded_at: float | None = None
    original_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)
    modal: dict[str, Any] | None = None
    choices: list[dict[str, Any]] | None = None
    # a type-5 defer whose loading message still waits for its first edit or follow-up
    deferred_pending: bool = False
    # (what the bot tried, HTTP status, Discord code) for every refused call on this interaction
    rejected: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def responded(self) -> bool:
        return self.response_type is not None
