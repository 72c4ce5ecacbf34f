"""FakeDiscord: the stand-in's state and behaviour, served over HTTP and a websocket."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Self, TypeVar
from urllib.parse import quote

import discord
from aiohttp import web

from . import errors as codes
from .errors import DiscordError, FormErrors
from .gateway import (
    DIRECT_MESSAGE_REACTIONS,
    DIRECT_MESSAGES,
    GUILD_MEMBERS,
    GUILD_MESSAGE_REACTIONS,
    GUILD_MESSAGES,
    GUILD_SCHEDULED_EVENTS,
    GUILDS,
    Gateway,
)
from .ids import Snowflakes, interaction_token, iso, parse_iso
from .limits import (
    Forced429,
    ForcedFailure,
    RateLimiter,
    RouteLimit,
    Rules,
    check_choices,
    check_message,
    check_modal,
)
from .models import (
    DM,
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    TEXT,
    Attachment,
    Channel,
    Command,
    Guild,
    InteractionRecord,
    Member,
    Message,
    Overwrite,
    Role,
    ScheduledEvent,
    Upload,
    User,
    emoji_payload,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Answer:
    """A request the stand-in has just carried out, not yet answered (see `before_answer`)."""

    route: str  # 'METHOD /template', as in `FakeDiscord.requests`
    params: dict[str, str]  # the path's parameters: channel_id, message_id, emoji, ...
    status: int
    body: Any  # the JSON answer (None for 204 No Content)


AnswerHook = Callable[[Answer], Awaitable[None] | None]

DEFAULT_TOKEN = "MTQwMDAwMDAwMDAwMDAwMDAw.R2Zha2U.stand-in-token-for-tests"

# What a new server grants @everyone (Discord's defaults, give or take the voice bits).
DEFAULT_EVERYONE = discord.Permissions(
    view_channel=True,
    create_instant_invite=True,
    change_nickname=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    create_private_threads=True,
    embed_links=True,
    attach_files=True,
    add_reactions=True,
    use_external_emojis=True,
    use_external_stickers=True,
    read_message_history=True,
    use_application_commands=True,
    connect=True,
    speak=True,
    stream=True,
    use_voice_activation=True,
    send_voice_messages=True,
    send_polls=True,
).value

# What the bot's managed role gets unless a test says otherwise: what an invite would ask for.
DEFAULT_BOT_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
    add_reactions=True,
    manage_messages=True,
    mention_everyone=True,
    use_application_commands=True,
    create_events=True,
    manage_events=True,
).value

P = discord.Permissions
VIEW, SEND = P(view_channel=True).value, P(send_messages=True).value
HISTORY, REACT = P(read_message_history=True).value, P(add_reactions=True).value
MANAGE_MESSAGES = P(manage_messages=True).value
CREATE_EVENTS, MANAGE_EVENTS = P(create_events=True).value, P(manage_events=True).value
MANAGE_ROLES, MANAGE_CHANNELS = P(manage_roles=True).value, P(manage_channels=True).value

APP_COMMAND, COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
ALLOWED_RESPONSES = {
    APP_COMMAND: {4, 5, 9},
    COMPONENT: {4, 5, 6, 7, 9},
    AUTOCOMPLETE: {8},
    MODAL_SUBMIT: {4, 5, 6, 7},
}


def permission_value(value: int | discord.Permissions) -> int:
    return value.value if isinstance(value, discord.Permissions) else int(value)


class FakeDiscord:
    """An in-memory Discord: one bot application, guilds, members, channels and messages.

    Start it with `async with FakeDiscord() as server:` (or `await server.start()`), build a
    guild with `create_guild`, `add_role`, `add_channel`, `add_member`, then point discord.py
    at `server.rest_url` and `server.gateway_url` (see `runner.py`).
    """

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_name: str = "Stand-in Bot",
        privileged_intents: int | discord.Intents = 0,
        bot_permissions: int | discord.Permissions = DEFAULT_BOT_PERMISSIONS,
        clock: Callable[[], datetime] | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        self.token = token
        self.host = host
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self.ids = Snowflakes()
        self.rules = Rules()
        self.limiter = RateLimiter(self.rules)
        self.unknown_routes: list[str] = []
        self.answer_hooks: dict[str, AnswerHook] = {}
        self.privileged_intents = permission_value(privileged_intents)  # type: ignore[arg-type]
        self.bot_permissions = permission_value(bot_permissions)
        self.users: dict[int, User] = {}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, Message] = {}
        self.attachments: dict[int, Attachment] = {}
        self.dm_channels: dict[int, int] = {}
        self.commands: dict[int, Command] = {}
        self.command_syncs: list[int | None] = []
        self.interactions: dict[int, InteractionRecord] = {}
        self.nonces: dict[tuple[int, int, str], tuple[int, float]] = {}
        self.bot_user = self.add_user(bot_name, bot=True)
        self.application_id = self.bot_user.id
        self.gateway = Gateway(self)
        self.port: int | None = None
        self._runner: web.AppRunner | None = None
        self._changed = asyncio.Event()

    # --- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> Self:
        from .rest import build_app

        self._runner = web.AppRunner(build_app(self), access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        await self.gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        if self.port is None:
            raise RuntimeError("FakeDiscord is not started")
        return f"http://{self.host}:{self.port}"

    @property
    def rest_url(self) -> str:
        """What to set `discord.http.Route.BASE` to."""
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        """What GET /gateway/bot answers, and what `DiscordWebSocket.DEFAULT_GATEWAY` must be."""
        return f"ws://{self.host}:{self.port}/"

    @property
    def resume_gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/resume"

    # --- waiting ----------------------------------------------------------------------------------

    def notify(self) -> None:
        """Wake everything in `wait_for`; called after every change of state."""
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    async def wait_for(
        self,
        predicate: Callable[[], T | Awaitable[T | None] | None],
        timeout: float = 5.0,  # noqa: ASYNC109 - a deadline for the condition, not for I/O
        *,
        message: str | Callable[[], str] | None = None,
        poll: float = 0.02,
    ) -> T:
        """Return the predicate's first truthy value; re-check on every change (and every `poll`
        seconds, for state outside the stand-in such as the bot's database)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = predicate()
            if inspect.isawaitable(result):
                result = await result
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                text = message() if callable(message) else message
                raise TimeoutError(text or f"condition not met within {timeout}s")
            changed = self._changed
            try:
                await asyncio.wait_for(changed.wait(), min(poll, remaining))
            except TimeoutError:
                pass

    async def wait_until_connected(
        self,
        *,
        identifies: int = 1,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> None:
        """Wait until the bot has IDENTIFYed `identifies` times in all and is connected."""
        await self.wait_for(
            lambda: self.gateway.identifies >= identifies and self.gateway.connected,
            timeout,
            message="the bot did not connect to the gateway",
        )

    # --- building the world -------------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock()

    def new_id(self) -> int:
        return self.ids.next(self.now())

    def add_user(self, name: str, *, bot: bool = False, locale: str = "en-GB") -> User:
        username = name.lower().replace(" ", "_") if not bot else name
        user = User(
            id=self.new_id(),
            username=username,
            global_name=None if bot else name,
            bot=bot,
            locale=locale,
        )
        self.users[user.id] = user
        return user

    def create_guild(
        self,
        name: str,
        *,
        locale: str = "en-GB",
        everyone_permissions: int | discord.Permissions = DEFAULT_EVERYONE,
        owner: User | None = None,
    ) -> Guild:
        guild_id = self.new_id()
        owner_user = owner or self.add_user(f"{name} Owner")
        guild = Guild(
            id=guild_id,
            name=name,
            owner_id=owner_user.id,
            everyone_role_id=guild_id,
            preferred_locale=locale,
            created_at=self.now(),
        )
        guild.roles[guild_id] = Role(
            guild_id, guild_id, "@everyone", permission_value(everyone_permissions), position=0
        )
        bot_role = Role(
            self.new_id(),
            guild_id,
            self.bot_user.username,
            self.bot_permissions,
            position=1,
            managed=True,
            bot_id=self.bot_user.id,
        )
        guild.roles[bot_role.id] = bot_role
        guild.members[self.bot_user.id] = Member(
            guild_id, self.bot_user, [bot_role.id], joined_at=self.now()
        )
        self.guilds[guild_id] = guild
        for session in self.gateway.live_sessions():
            session.append("GUILD_CREATE", self.guild_create_payload(guild, session.intents))
        self.notify()
        return guild

    def add_role(
        self,
        guild: Guild,
        name: str,
        *,
        permissions: int | discord.Permissions = 0,
        color: int = 0,
        mentionable: bool = False,
        hoist: bool = False,
    ) -> Role:
        position = max(r.position for r in guild.roles.values()) + 1
        role = Role(
            self.new_id(),
            guild.id,
            name,
            permission_value(permissions),
            position=position,
            color=color,
            mentionable=mentionable,
            hoist=hoist,
        )
        guild.roles[role.id] = role
        self.gateway.dispatch(
            "GUILD_ROLE_CREATE", {"guild_id": str(guild.id), "role": role.payload()}, intent=GUILDS
        )
        self.notify()
        return role

    def add_channel(
        self,
        guild: Guild,
        name: str,
        *,
        type: int = TEXT,
        topic: str | None = None,
        parent: Channel | None = None,
        overwrites: Iterable[Overwrite] = (),
    ) -> Channel:
        channel = Channel(
            id=self.new_id(),
            type=type,
            name=name.lstrip("#"),
            guild_id=guild.id,
            position=len(guild.channels),
            topic=topic,
            parent_id=parent.id if parent else None,
            overwrites=list(overwrites),
        )
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel
        self.gateway.dispatch("CHANNEL_CREATE", channel.payload(), intent=GUILDS)
        self.notify()
        return channel

    def add_member(
        self,
        guild: Guild,
        name: str,
        *,
        roles: Iterable[Role] = (),
        nick: str | None = None,
        dms_open: bool = True,
        bot: bool = False,
        locale: str = "en-GB",
    ) -> Member:
        user = self.add_user(name, bot=bot, locale=locale)
        user.dms_open = dms_open
        member = Member(guild.id, user, [r.id for r in roles], nick=nick, joined_at=self.now())
        guild.members[user.id] = member
        self.gateway.dispatch(
            "GUILD_MEMBER_ADD",
            {**member.payload(), "guild_id": str(guild.id)},
            intent=GUILD_MEMBERS,
        )
        self.notify()
        return member

    def set_roles(self, member: Member, roles: Iterable[Role]) -> None:
        member.role_ids = [r.id for r in roles]
        self._member_updated(member)

    def set_overwrites(self, channel: Channel, overwrites: Iterable[Overwrite]) -> None:
        """A server manager changes a channel's permission overwrites (CHANNEL_UPDATE)."""
        channel.overwrites = list(overwrites)
        self.gateway.dispatch("CHANNEL_UPDATE", channel.payload(), intent=GUILDS)
        self.notify()

    def set_role_permissions(self, role: Role, permissions: int | discord.Permissions) -> None:
        """A server manager changes a role's permissions (GUILD_ROLE_UPDATE)."""
        role.permissions = permission_value(permissions)
        self.gateway.dispatch(
            "GUILD_ROLE_UPDATE",
            {"guild_id": str(role.guild_id), "role": role.payload()},
            intent=GUILDS,
        )
        self.notify()

    def _member_updated(self, member: Member) -> None:
        self.gateway.dispatch(
            "GUILD_MEMBER_UPDATE",
            {**member.payload(), "guild_id": str(member.guild_id)},
            intent=GUILD_MEMBERS,
        )
        self.notify()

    # --- tightening the rules -------------------------------------------------------------------

    def rate_limit(self, route: str, *, limit: int, per: float, scope: str = "user") -> None:
        """Limit a route, named like 'POST /channels/{channel_id}/messages', per major parameter."""
        self.rules.route_limits[route] = RouteLimit(limit, per, scope)

    def force_429(
        self,
        route: str,
        *,
        times: int = 1,
        retry_after: float = 0.2,
        is_global: bool = False,
        scope: str = "user",
    ) -> None:
        """Answer the next `times` requests of `route` with 429 and `retry_after`."""
        self.limiter.forced_429[route] = Forced429(times, retry_after, is_global, scope)

    def before_answer(self, route: str, hook: AnswerHook | None) -> None:
        """Run `hook` (sync or async) after each successful request of `route` has been
        carried out and before its answer goes back: the moment Discord has done it but the
        caller does not know yet (a message exists, its id not yet returned). The answer waits
        for an async hook, while gateway events go on flowing. None removes the hook."""
        if hook is None:
            self.answer_hooks.pop(route, None)
        else:
            self.answer_hooks[route] = hook

    def fail_next(self, route: str, *, status: int = 500, times: int = 1) -> None:
        """Answer the next `times` requests of `route` with a 5xx."""
        self.limiter.failures[route] = ForcedFailure(times, status)

    @property
    def requests(self) -> dict[str, int]:
        """Requests so far by 'METHOD /route/{template}'."""
        return dict(self.limiter.requests)

    @property
    def rate_limited(self) -> dict[str, int]:
        """429 answers so far by route."""
        return dict(self.limiter.rate_limited)

    @property
    def request_log(self) -> list[Any]:
        return self.limiter.log

    def age_message(self, message: Message, by: timedelta) -> None:
        """Make a message older (e.g. by two hours, for the hidden old-message edit limit)."""
        assert message.created_at is not None
        message.created_at -= by

    # --- looking things up ----------------------------------------------------------------------

    def guild_of(self, channel: Channel) -> Guild | None:
        return self.guilds.get(channel.guild_id) if channel.guild_id else None

    def get_channel(self, channel_id: int) -> Channel:
        channel = self.channels.get(channel_id)
        if channel is None:
            raise codes.unknown("Channel", codes.UNKNOWN_CHANNEL)
        return channel

    def get_guild(self, guild_id: int) -> Guild:
        guild = self.guilds.get(guild_id)
        if guild is None:
            raise codes.unknown("Guild", codes.UNKNOWN_GUILD)
        return guild

    def get_message(
        self, channel: Channel, message_id: int, *, ephemeral_ok: bool = False
    ) -> Message:
        message = channel.messages.get(message_id)
        if message is None or message.deleted or (message.ephemeral and not ephemeral_ok):
            raise codes.unknown("Message", codes.UNKNOWN_MESSAGE)
        return message

    def dm_channel(self, user: User) -> Channel:
        """The bot's DM channel with `user`, made on first use (as POST /users/@me/channels)."""
        channel_id = self.dm_channels.get(user.id)
        if channel_id is None:
            channel = Channel(id=self.new_id(), type=DM, recipient_id=user.id)
            self.channels[channel.id] = channel
            self.dm_channels[user.id] = channel.id
            return channel
        return self.channels[channel_id]

    def dms(self, user: User) -> list[Message]:
        channel_id = self.dm_channels.get(user.id)
        return self.channels[channel_id].visible_messages() if channel_id else []

    def bot_permissions_in(self, channel: Channel) -> int:
        guild = self.guild_of(channel)
        if guild is None:
            return P(
                view_channel=True,
                send_messages=True,
                read_message_history=True,
                add_reactions=True,
                embed_links=True,
                attach_files=True,
            ).value
        return guild.permissions_in(guild.members[self.bot_user.id], channel)

    def require(self, channel: Channel, needed: int) -> None:
        """403 unless the bot has every bit of `needed` in `channel`."""
        have = self.bot_permissions_in(channel)
        if not have & VIEW:
            raise DiscordError(403, codes.MISSING_ACCESS, "Missing Access")
        if have & needed != needed:
            raise DiscordError(403, codes.MISSING_PERMISSIONS, "Missing Permissions")

    # --- payloads -------------------------------------------------------------------------------

    def me_payload(self) -> dict[str, Any]:
        return {
            **self.bot_user.payload(),
            "verified": True,
            "mfa_enabled": False,
            "email": None,
            "locale": "en-US",
            "bio": "",
        }

    def application_payload(self) -> dict[str, Any]:
        owner = self.users.get(next(iter(self.guilds.values())).owner_id) if self.guilds else None
        return {
            "id": str(self.application_id),
            "name": self.bot_user.username,
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "flags": 0,
            "owner": (owner or self.bot_user).payload(),
            "team": None,
            "bot": self.bot_user.payload(),
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "tags": [],
            "install_params": None,
            "integration_types_config": {"0": {}},
            "approximate_guild_count": len(self.guilds),
        }

    def ready_payload(self, session_id: str) -> dict[str, Any]:
        return {
            "v": 10,
            "user": self.me_payload(),
            "user_settings": {},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in self.guilds.values()],
            "session_id": session_id,
            "session_type": "normal",
            "resume_gateway_url": self.resume_gateway_url,
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "auth": {},
            "_trace": ["fakediscord"],
        }

    def guild_payload(self, guild: Guild, *, with_counts: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(guild.id),
            "name": guild.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(guild.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 1,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "roles": [r.payload() for r in guild.roles.values()],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "vanity_url_code": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": guild.preferred_locale,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "max_members": 500_000,
            "max_video_channel_users": 25,
        }
        if with_counts:
            data["approximate_member_count"] = len(guild.members)
            data["approximate_presence_count"] = 0
        return data

    def guild_create_payload(self, guild: Guild, intents: int) -> dict[str, Any]:
        bot_member = guild.members[self.bot_user.id]
        members = guild.members.values() if intents & GUILD_MEMBERS else [bot_member]
        return {
            **self.guild_payload(guild),
            "joined_at": iso(bot_member.joined_at),
            "large": False,
            "unavailable": False,
            "lazy": True,
            "member_count": len(guild.members),
            "voice_states": [],
            "members": [m.payload() for m in members],
            "channels": [c.payload() for c in guild.channels.values()],
            "threads": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [
                self.event_payload(e) for e in guild.events.values() if not e.deleted
            ],
            "soundboard_sounds": [],
            "incidents_data": None,
        }

    def channel_payload(self, channel: Channel) -> dict[str, Any]:
        if channel.type == DM and channel.recipient_id is not None:
            return channel.payload(recipients=[self.users[channel.recipient_id]])
        return channel.payload()

    def message_payload(self, message: Message, *, with_member: bool = False) -> dict[str, Any]:
        member = None
        if with_member and message.guild_id is not None:
            member = self.guilds[message.guild_id].members.get(message.author.id)
        return message.payload(me_id=self.bot_user.id, member=member)

    def event_payload(
        self, event: ScheduledEvent, *, with_user_count: bool = False
    ) -> dict[str, Any]:
        return event.payload(
            creator=self.users.get(event.creator_id), with_user_count=with_user_count
        )

    # --- messages -------------------------------------------------------------------------------

    def new_attachment(
        self,
        channel_id: int,
        filename: str,
        data: bytes,
        *,
        description: str | None = None,
        ephemeral: bool = False,
    ) -> Attachment:
        attachment_id = self.new_id()
        attachment = Attachment(
            id=attachment_id,
            filename=filename,
            data=data,
            url=f"{self.base_url}/attachments/{channel_id}/{attachment_id}/{quote(filename)}",
            description=description,
            ephemeral=ephemeral,
        )
        self.attachments[attachment_id] = attachment
        return attachment

    def resolve_attachments(
        self,
        channel: Channel,
        current: list[Attachment],
        listed: list[dict[str, Any]] | None,
        uploads: dict[int, Upload],
        *,
        ephemeral: bool = False,
    ) -> list[Attachment]:
        def new(index: int, entry: dict[str, Any] | None) -> Attachment:
            upload = uploads[index]
            filename = (entry or {}).get("filename") or upload.filename
            return self.new_attachment(
                channel.id,
                filename,
                upload.data,
                description=(entry or {}).get("description"),
                ephemeral=ephemeral,
            )

        if listed is None:
            return [*current, *(new(i, None) for i in sorted(uploads))]
        kept = {a.id: a for a in current}
        result = []
        errors = FormErrors()
        for position, entry in enumerate(listed):
            attachment_id = int(entry.get("id", -1))
            if attachment_id in kept:
                result.append(kept[attachment_id])
            elif attachment_id in uploads:
                result.append(new(attachment_id, entry))
            else:
                errors.add(("attachments", position, "id"), "ATTACHMENT_NOT_FOUND", "Unknown file")
        errors.raise_if_any()
        return result

    def post_message(
        self,
        channel: Channel,
        author: User,
        payload: dict[str, Any],
        uploads: dict[int, Upload] | None = None,
        *,
        flags: int | None = None,
        webhook_id: int | None = None,
        message_type: int = 0,
        interaction_metadata: dict[str, Any] | None = None,
        dispatch: bool = True,
    ) -> Message:
        uploads = uploads or {}
        message_flags = int(payload.get("flags") or 0) if flags is None else flags
        message = Message(
            id=self.new_id(),
            channel_id=channel.id,
            guild_id=channel.guild_id,
            author=author,
            content=str(payload.get("content") or ""),
            embeds=list(payload.get("embeds") or []),
            components=list(payload.get("components") or []),
            flags=message_flags,
            type=message_type,
            created_at=self.now(),
            nonce=str(payload["nonce"]) if payload.get("nonce") is not None else None,
            webhook_id=webhook_id,
            application_id=self.application_id if webhook_id else None,
            interaction_metadata=interaction_metadata,
            allowed_mentions=payload.get("allowed_mentions"),
        )
        message.attachments = self.resolve_attachments(
            channel, [], payload.get("attachments"), uploads, ephemeral=message.ephemeral
        )
        channel.messages[message.id] = message
        self.messages[message.id] = message
        if dispatch and not message.ephemeral:
            self._dispatch_message("MESSAGE_CREATE", channel, message)
        self.notify()
        return message

    def edit_message(
        self,
        message: Message,
        payload: dict[str, Any],
        uploads: dict[int, Upload] | None = None,
    ) -> Message:
        channel = self.channels[message.channel_id]
        message.history.append((message.content, list(message.embeds)))
        if "content" in payload:
            message.content = str(payload["content"] or "")
        if "embeds" in payload:
            message.embeds = list(payload["embeds"] or [])
        if "components" in payload:
            message.components = list(payload["components"] or [])
        if "allowed_mentions" in payload:
            message.allowed_mentions = payload["allowed_mentions"]
        if "attachments" in payload or uploads:
            message.attachments = self.resolve_attachments(
                channel,
                message.attachments,
                payload.get("attachments"),
                uploads or {},
                ephemeral=message.ephemeral,
            )
        if message.loading:
            message.flags &= ~FLAG_LOADING
        else:
            message.edited_at = self.now()
            message.edits += 1
        if not message.ephemeral:
            self._dispatch_message("MESSAGE_UPDATE", channel, message)
        self.notify()
        return message

    def delete_message(self, message: Message) -> None:
        message.deleted = True
        channel = self.channels[message.channel_id]
        if not message.ephemeral:
            data: dict[str, Any] = {"id": str(message.id), "channel_id": str(channel.id)}
            if channel.guild_id:
                data["guild_id"] = str(channel.guild_id)
            intent = GUILD_MESSAGES if channel.guild_id else DIRECT_MESSAGES
            self.gateway.dispatch("MESSAGE_DELETE", data, intent=intent)
        self.notify()

    def _dispatch_message(self, name: str, channel: Channel, message: Message) -> None:
        intent = GUILD_MESSAGES if channel.guild_id else DIRECT_MESSAGES
        data = self.message_payload(message, with_member=True)
        gated = (
            channel.guild_id is not None
            and message.author.id != self.bot_user.id
            and f"<@{self.bot_user.id}>" not in message.content
            and f"<@!{self.bot_user.id}>" not in message.content
        )
        redacted = None
        if gated:
            # Without MESSAGE_CONTENT, Discord blanks these for others' guild messages.
            redacted = {**data, "content": "", "embeds": [], "attachments": [], "components": []}
        self.gateway.dispatch(name, data, intent=intent, without_content=redacted)

    def create_channel_message(
        self, channel: Channel, payload: dict[str, Any], uploads: dict[int, Upload]
    ) -> Message:
        """POST /channels/{id}/messages as the bot: permissions, DMs, nonces, limits."""
        if channel.type == DM:
            recipient = self.users[channel.recipient_id] if channel.recipient_id else None
            shares_guild = recipient is not None and any(
                recipient.id in g.members for g in self.guilds.values()
            )
            if recipient is None or recipient.bot or not recipient.dms_open or not shares_guild:
                raise DiscordError(403, codes.CANNOT_DM, "Cannot send messages to this user")
        else:
            needed = SEND | (HISTORY if payload.get("message_reference") else 0)
            self.require(channel, needed)
        check_message(payload, creating=True, has_files=bool(uploads))
        nonce = payload.get("nonce")
        if nonce is not None and payload.get("enforce_nonce"):
            key = (channel.id, self.bot_user.id, str(nonce))
            seen = self.nonces.get(key)
            if seen is not None and time.monotonic() - seen[1] < self.rules.nonce_window:
                earlier = channel.messages.get(seen[0])
                if earlier is not None and not earlier.deleted:
                    return earlier
        flags = int(payload.get("flags") or 0) & ~FLAG_EPHEMERAL
        message = self.post_message(channel, self.bot_user, payload, uploads, flags=flags)
        if nonce is not None:
            self.nonces[(channel.id, self.bot_user.id, str(nonce))] = (message.id, time.monotonic())
        return message

    def is_old(self, message: Message) -> bool:
        assert message.created_at is not None
        age = (self.now() - message.created_at).total_seconds()
        return age > self.rules.old_message_age

    # --- reactions ------------------------------------------------------------------------------

    def add_reaction(self, message: Message, user: User, key: str) -> bool:
        users = message.reactions.setdefault(key, [])
        if user.id in users:
            return False
        users.append(user.id)
        channel = self.channels[message.channel_id]
        data: dict[str, Any] = {
            "user_id": str(user.id),
            "channel_id": str(channel.id),
            "message_id": str(message.id),
            "emoji": emoji_payload(key),
            "message_author_id": str(message.author.id),
            "burst": False,
            "burst_colors": [],
            "type": 0,
        }
        if channel.guild_id:
            data["guild_id"] = str(channel.guild_id)
            member = self.guilds[channel.guild_id].members.get(user.id)
            if member is not None:
                data["member"] = member.payload()
        intent = GUILD_MESSAGE_REACTIONS if channel.guild_id else DIRECT_MESSAGE_REACTIONS
        self.gateway.dispatch("MESSAGE_REACTION_ADD", data, intent=intent)
        self.notify()
        return True

    def remove_reaction(self, message: Message, user_id: int, key: str) -> bool:
        users = message.reactions.get(key, [])
        if user_id not in users:
            return False
        users.remove(user_id)
        if not users:
            del message.reactions[key]
        channel = self.channels[message.channel_id]
        data: dict[str, Any] = {
            "user_id": str(user_id),
            "channel_id": str(channel.id),
            "message_id": str(message.id),
            "emoji": emoji_payload(key),
            "burst": False,
            "type": 0,
        }
        if channel.guild_id:
            data["guild_id"] = str(channel.guild_id)
        intent = GUILD_MESSAGE_REACTIONS if channel.guild_id else DIRECT_MESSAGE_REACTIONS
        self.gateway.dispatch("MESSAGE_REACTION_REMOVE", data, intent=intent)
        self.notify()
        return True

    def clear_reactions(self, message: Message, key: str | None = None) -> None:
        channel = self.channels[message.channel_id]
        data: dict[str, Any] = {"channel_id": str(channel.id), "message_id": str(message.id)}
        if channel.guild_id:
            data["guild_id"] = str(channel.guild_id)
        intent = GUILD_MESSAGE_REACTIONS if channel.guild_id else DIRECT_MESSAGE_REACTIONS
        if key is None:
            message.reactions.clear()
            self.gateway.dispatch("MESSAGE_REACTION_REMOVE_ALL", data, intent=intent)
        elif message.reactions.pop(key, None) is not None:
            self.gateway.dispatch(
                "MESSAGE_REACTION_REMOVE_EMOJI",
                {**data, "emoji": emoji_payload(key)},
                intent=intent,
            )
        self.notify()

    # --- scheduled events -----------------------------------------------------------------------

    def check_event(self, payload: dict[str, Any], existing: ScheduledEvent | None) -> None:
        errors = FormErrors()

        def value(key: str) -> Any:
            if key in payload:
                return payload[key]
            if existing is None:
                return None
            return {
                "name": existing.name,
                "description": existing.description,
                "channel_id": existing.channel_id,
                "entity_type": existing.entity_type,
                "scheduled_start_time": iso(existing.start),
                "scheduled_end_time": iso(existing.end),
                "entity_metadata": {"location": existing.location}
                if existing.location is not None
                else None,
                "privacy_level": existing.privacy_level,
            }[key]

        name = value("name")
        errors.required(("name",), name)
        errors.max_length(("name",), name, 100)
        errors.max_length(("description",), value("description"), 1000)
        if value("privacy_level") is None:
            errors.required(("privacy_level",), None)
        elif value("privacy_level") != 2:
            errors.add(("privacy_level",), "BASE_TYPE_CHOICES", "Value must be one of {2}.")
        start = parse_iso(value("scheduled_start_time"))
        end = parse_iso(value("scheduled_end_time"))
        if start is None:
            errors.required(("scheduled_start_time",), None)
        elif self.rules.reject_past_scheduled_events and existing is None and start < self.now():
            errors.add(
                ("scheduled_start_time",),
                "GUILD_SCHEDULED_EVENT_SCHEDULED_START_TIME_IN_PAST",
                "Cannot schedule event in the past.",
            )
        if start is not None and end is not None and end <= start:
            errors.add(
                ("scheduled_end_time",),
                "GUILD_SCHEDULED_EVENT_END_BEFORE_START",
                "Cannot schedule event to end before starting.",
            )
        entity_type = value("entity_type")
        if entity_type is None:
            errors.required(("entity_type",), None)
        elif entity_type not in (1, 2, 3):
            errors.add(("entity_type",), "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3}.")
        if entity_type == 3:
            if value("channel_id") is not None:
                errors.add(("channel_id",), "BASE_TYPE_BAD_VALUE", "Must be null for EXTERNAL.")
            location = (value("entity_metadata") or {}).get("location")
            errors.required(("entity_metadata", "location"), location)
            errors.max_length(("entity_metadata", "location"), location, 100)
            if end is None:
                errors.required(("scheduled_end_time",), None)
        elif entity_type in (1, 2) and value("channel_id") is None:
            errors.required(("channel_id",), None)
        errors.raise_if_any()

    def create_event(self, guild: Guild, payload: dict[str, Any]) -> ScheduledEvent:
        self.check_event(payload, None)
        start = parse_iso(payload["scheduled_start_time"])
        assert start is not None
        event = ScheduledEvent(
            id=self.new_id(),
            guild_id=guild.id,
            creator_id=self.bot_user.id,
            name=payload["name"],
            start=start,
            end=parse_iso(payload.get("scheduled_end_time")),
            entity_type=int(payload["entity_type"]),
            description=payload.get("description"),
            channel_id=int(payload["channel_id"]) if payload.get("channel_id") else None,
            location=(payload.get("entity_metadata") or {}).get("location"),
            privacy_level=int(payload.get("privacy_level", 2)),
            image=payload.get("image"),
        )
        guild.events[event.id] = event
        self.gateway.dispatch(
            "GUILD_SCHEDULED_EVENT_CREATE", self.event_payload(event), intent=GUILD_SCHEDULED_EVENTS
        )
        self.notify()
        return event

    def edit_event(self, event: ScheduledEvent, payload: dict[str, Any]) -> ScheduledEvent:
        if event.status in (3, 4):
            raise DiscordError(400, codes.FINISHED_EVENT, "Cannot update a finished event")
        self.check_event(payload, event)
        if "status" in payload:
            allowed = {1: {1, 2, 4}, 2: {2, 3}}[event.status]
            if int(payload["status"]) not in allowed:
                errors = FormErrors()
                errors.add(
                    ("status",),
                    "GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION",
                    "Invalid status transition.",
                )
                errors.raise_if_any()
            event.status = int(payload["status"])
        if "name" in payload:
            event.name = payload["name"]
        if "description" in payload:
            event.description = payload["description"]
        if "scheduled_start_time" in payload:
            event.start = parse_iso(payload["scheduled_start_time"]) or event.start
        if "scheduled_end_time" in payload:
            event.end = parse_iso(payload["scheduled_end_time"])
        if "entity_type" in payload:
            event.entity_type = int(payload["entity_type"])
        if "channel_id" in payload:
            event.channel_id = int(payload["channel_id"]) if payload["channel_id"] else None
        if "entity_metadata" in payload:
            event.location = (payload["entity_metadata"] or {}).get("location")
        if "image" in payload:
            event.image = payload["image"]
        self.gateway.dispatch(
            "GUILD_SCHEDULED_EVENT_UPDATE", self.event_payload(event), intent=GUILD_SCHEDULED_EVENTS
        )
        self.notify()
        return event

    def delete_event(self, event: ScheduledEvent) -> None:
        event.deleted = True
        self.gateway.dispatch(
            "GUILD_SCHEDULED_EVENT_DELETE", self.event_payload(event), intent=GUILD_SCHEDULED_EVENTS
        )
        self.notify()

    def set_interested(
        self, event: ScheduledEvent, member: Member, interested: bool = True
    ) -> None:
        """A member clicks (or un-clicks) "Interested" on a scheduled event."""
        if interested == (member.id in event.interested):
            return
        if interested:
            event.interested.append(member.id)
        else:
            event.interested.remove(member.id)
        name = "GUILD_SCHEDULED_EVENT_USER_" + ("ADD" if interested else "REMOVE")
        self.gateway.dispatch(
            name,
            {
                "guild_scheduled_event_id": str(event.id),
                "user_id": str(member.id),
                "guild_id": str(event.guild_id),
            },
            intent=GUILD_SCHEDULED_EVENTS,
        )
        self.notify()

    def events(self, guild: Guild) -> list[ScheduledEvent]:
        return [e for e in guild.events.values() if not e.deleted]

    # --- application commands -------------------------------------------------------------------

    def sync_commands(self, guild_id: int | None, payload: list[dict[str, Any]]) -> list[Command]:
        errors = FormErrors()
        seen: set[tuple[str, int]] = set()
        for index, data in enumerate(payload):
            name = data.get("name") or ""
            kind = int(data.get("type", 1))
            if (name, kind) in seen:
                errors.add((index, "name"), "APPLICATION_COMMANDS_DUPLICATE_NAME", "Duplicate name")
            seen.add((name, kind))
            errors.required((index, "name"), name)
            errors.max_length((index, "name"), name, 32)
            if kind == 1:
                errors.required((index, "description"), data.get("description"))
                errors.max_length((index, "description"), data.get("description"), 100)
        errors.raise_if_any()
        existing = {(c.name, c.type): c for c in self.commands.values() if c.guild_id == guild_id}
        for command in existing.values():
            del self.commands[command.id]
        result = []
        for data in payload:
            old = existing.get((data["name"], int(data.get("type", 1))))
            command = Command(
                id=old.id if old else self.new_id(),
                application_id=self.application_id,
                guild_id=guild_id,
                data=dict(data),
                version=self.new_id(),
            )
            self.commands[command.id] = command
            result.append(command)
        self.command_syncs.append(guild_id)
        self.notify()
        return result

    def find_command(self, name: str, guild_id: int | None, kind: int = 1) -> Command:
        for scope in (guild_id, None):
            for command in self.commands.values():
                if command.guild_id == scope and command.name == name and command.type == kind:
                    return command
        known = sorted(c.name for c in self.commands.values())
        raise KeyError(f"no command /{name} registered (registered: {known})")

    # --- interactions ---------------------------------------------------------------------------

    def start_interaction(
        self,
        *,
        kind: int,
        user: Member | User,
        channel: Channel,
        data: dict[str, Any],
        message: Message | None = None,
        command_path: str | None = None,
    ) -> InteractionRecord:
        """Dispatch INTERACTION_CREATE from `user` in `channel`; answers land on the record."""
        guild = self.guild_of(channel)
        account = user.user if isinstance(user, Member) else user
        interaction_id = self.new_id()
        token = interaction_token()
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "token": token,
            "version": 1,
            "app_permissions": str(self.bot_permissions_in(channel)),
            "locale": account.locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": 10 * 1024 * 1024,
            "channel_id": str(channel.id),
        }
        if guild is not None:
            member = user if isinstance(user, Member) else guild.members[account.id]
            permissions = guild.permissions_in(member, channel)
            payload.update(
                guild_id=str(guild.id),
                guild={"id": str(guild.id), "locale": guild.preferred_locale, "features": []},
                guild_locale=guild.preferred_locale,
                member=member.payload(permissions=permissions),
                channel={**self.channel_payload(channel), "permissions": str(permissions)},
                authorizing_integration_owners={"0": str(guild.id)},
                context=0,
            )
        else:
            payload.update(
                user=account.payload(),
                channel={**self.channel_payload(channel), "permissions": str(VIEW | SEND)},
                authorizing_integration_owners={"0": "0"},
                context=1,
            )
        if message is not None:
            payload["message"] = self.message_payload(message)
        record = InteractionRecord(
            id=interaction_id,
            token=token,
            type=kind,
            user=account,
            guild_id=guild.id if guild else None,
            channel_id=channel.id,
            data=data,
            payload=payload,
            dispatched_at=time.monotonic(),
            created_at=self.now(),
            command_path=command_path,
            message_id=message.id if message else None,
        )
        self.interactions[interaction_id] = record
        self.gateway.dispatch("INTERACTION_CREATE", payload)
        self.notify()
        return record

    def interaction_by_token(self, application_id: int, token: str) -> InteractionRecord:
        if application_id != self.application_id:
            raise codes.unknown("Webhook", codes.UNKNOWN_WEBHOOK)
        for record in self.interactions.values():
            if record.token == token:
                age = (self.now() - record.created_at).total_seconds()
                if age > self.rules.interaction_token_ttl:
                    raise DiscordError(401, 50027, "Invalid Webhook Token")
                return record
        raise codes.unknown("Webhook", codes.UNKNOWN_WEBHOOK)

    def _interaction_message(
        self,
        record: InteractionRecord,
        payload: dict[str, Any],
        uploads: dict[int, Upload],
        *,
        flags: int,
        original: bool,
    ) -> Message:
        metadata: dict[str, Any] = {
            "id": str(record.id),
            "type": record.type,
            "user": record.user.payload(),
            "authorizing_integration_owners": record.payload["authorizing_integration_owners"],
        }
        if not original and record.original_id is not None:
            metadata["original_response_message_id"] = str(record.original_id)
        if record.type == COMPONENT and record.message_id is not None:
            metadata["interacted_message_id"] = str(record.message_id)
        channel = self.channels[record.channel_id]
        return self.post_message(
            channel,
            self.bot_user,
            payload,
            uploads,
            flags=flags,
            webhook_id=self.application_id,
            message_type=20 if record.type == APP_COMMAND and original else 0,
            interaction_metadata=metadata,
        )

    def interaction_callback(
        self, record: InteractionRecord, body: dict[str, Any], uploads: dict[int, Upload]
    ) -> dict[str, Any]:
        """POST /interactions/{id}/{token}/callback: the 3 s deadline, one initial response."""
        if record.responded:
            record.rejected.append(("callback", 400, codes.ALREADY_ACKNOWLEDGED))
            raise DiscordError(
                400, codes.ALREADY_ACKNOWLEDGED, "Interaction has already been acknowledged."
            )
        if time.monotonic() - record.dispatched_at > self.rules.interaction_deadline:
            record.rejected.append(("callback", 404, codes.UNKNOWN_INTERACTION))
            raise DiscordError(404, codes.UNKNOWN_INTERACTION, "Unknown interaction")
        response_type = int(body.get("type", 0))
        data = body.get("data") or {}
        if response_type not in ALLOWED_RESPONSES[record.type]:
            errors = FormErrors()
            errors.add(
                ("type",),
                "INTERACTION_RESPONSE_TYPE_INVALID",
                f"Interaction response type {response_type} is not valid for this interaction",
            )
            errors.raise_if_any()
        message: Message | None = None
        if response_type == 4:
            check_message(data, creating=True, has_files=bool(uploads), prefix=("data",))
            flags = int(data.get("flags") or 0)
            message = self._interaction_message(record, data, uploads, flags=flags, original=True)
            record.original_id = message.id
        elif response_type == 5:
            flags = FLAG_LOADING | (int(data.get("flags") or 0) & FLAG_EPHEMERAL)
            message = self._interaction_message(record, {}, {}, flags=flags, original=True)
            record.original_id = message.id
            record.deferred_pending = True
        elif response_type in (6, 7):
            if record.message_id is None:
                errors = FormErrors()
                errors.add(("type",), "INTERACTION_RESPONSE_TYPE_INVALID", "No message to update")
                errors.raise_if_any()
            message = self.channels[record.channel_id].messages[record.message_id]  # type: ignore[index]
            record.original_id = message.id
            if response_type == 7:
                check_message(data, creating=False, prefix=("data",))
                self.edit_message(message, data, uploads)
        elif response_type == 8:
            check_choices(data)
            record.choices = list(data.get("choices") or [])
        elif response_type == 9:
            check_modal(data)
            record.modal = data
        record.response_type = response_type
        record.response_data = data
        record.responded_at = time.monotonic()
        self.notify()
        interaction: dict[str, Any] = {"id": str(record.id), "type": record.type}
        resource: dict[str, Any] = {"type": response_type}
        if message is not None and response_type != 6:
            interaction.update(
                response_message_id=str(message.id),
                response_message_loading=message.loading,
                response_message_ephemeral=message.ephemeral,
            )
            resource["message"] = self.message_payload(message)
        return {"interaction": interaction, "resource": resource}

    def webhook_message(self, record: InteractionRecord, message_id: str) -> Message:
        if message_id == "@original":
            if record.original_id is None:
                raise codes.unknown("Message", codes.UNKNOWN_MESSAGE)
            wanted = record.original_id
        else:
            wanted = int(message_id)
            if wanted != record.original_id and wanted not in record.followup_ids:
                raise codes.unknown("Message", codes.UNKNOWN_MESSAGE)
        message = self.channels[record.channel_id].messages.get(wanted)
        if message is None or message.deleted:
            raise codes.unknown("Message", codes.UNKNOWN_MESSAGE)
        return message

    def followup(
        self, record: InteractionRecord, payload: dict[str, Any], uploads: dict[int, Upload]
    ) -> Message:
        """POST /webhooks/{app}/{token}: after a type-5 defer the first one fills the loading
        message (keeping the defer's ephemerality); later ones are new messages."""
        if not record.responded or record.response_type in (8, 9):
            record.rejected.append(("followup", 404, codes.UNKNOWN_WEBHOOK))
            raise codes.unknown("Webhook", codes.UNKNOWN_WEBHOOK)
        check_message(payload, creating=True, has_files=bool(uploads))
        if record.deferred_pending and record.original_id is not None:
            record.deferred_pending = False
            original = self.channels[record.channel_id].messages[record.original_id]
            return self.edit_message(original, payload, uploads)
        flags = int(payload.get("flags") or 0)
        message = self._interaction_message(record, payload, uploads, flags=flags, original=False)
        record.followup_ids.append(message.id)
        self.notify()
        return message

    def edit_webhook_message(
        self,
        record: InteractionRecord,
        message: Message,
        payload: dict[str, Any],
        uploads: dict[int, Upload],
    ) -> Message:
        check_message(payload, creating=False)
        if message.id == record.original_id:
            record.deferred_pending = False
        return self.edit_message(message, payload, uploads)
