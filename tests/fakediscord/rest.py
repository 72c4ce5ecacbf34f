"""REST API v10 on aiohttp: the routes discord.py calls, with Discord's errors and headers."""

from __future__ import annotations

import inspect
import json
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from aiohttp import BodyPartReader, web

from . import errors as codes
from .errors import DiscordError
from .gateway import GUILD_MEMBERS
from .limits import RequestRecord, check_message
from .models import DM, TEXT, Overwrite, Upload, emoji_key
from .server import (
    CREATE_EVENTS,
    HISTORY,
    MANAGE_CHANNELS,
    MANAGE_EVENTS,
    MANAGE_MESSAGES,
    MANAGE_ROLES,
    REACT,
    Answer,
    AnswerHook,
)

if TYPE_CHECKING:
    from .server import FakeDiscord

API = "/api/v10"
SERVER: web.AppKey[FakeDiscord] = web.AppKey("fakediscord", object)  # type: ignore[arg-type]
# Routes authorised by the interaction or webhook token in the path, not the bot token.
TOKEN_ROUTES = ("/interactions/", "/webhooks/")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """JSON with content type exactly `application/json` (discord.py compares it verbatim)."""
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def no_content() -> web.Response:
    return web.Response(status=204)


def server_of(request: web.Request) -> FakeDiscord:
    return request.app[SERVER]


def snowflake(request: web.Request, name: str) -> int:
    try:
        return int(request.match_info[name])
    except ValueError:
        errors = codes.FormErrors()
        errors.add((name,), "NUMBER_TYPE_COERCE", "Value is not snowflake.")
        errors.raise_if_any()
        raise


def query_int(request: web.Request, name: str, default: int | None = None) -> int | None:
    raw = request.query.get(name)
    return int(raw) if raw not in (None, "") else default


def query_bool(request: web.Request, name: str) -> bool:
    return request.query.get(name, "").lower() in ("1", "true")


async def read_body(request: web.Request) -> tuple[Any, dict[int, Upload]]:
    """JSON, or multipart with `payload_json` and `files[n]` parts."""
    uploads: dict[int, Upload] = {}
    if request.content_type.startswith("multipart/"):
        payload: Any = {}
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader):
                continue
            name = part.name or ""
            if name == "payload_json":
                payload = json.loads(await part.text())
            elif name.startswith("files[") and name.endswith("]"):
                index = int(name[len("files[") : -1])
                uploads[index] = Upload(
                    filename=part.filename or f"file{index}",
                    data=bytes(await part.read()),
                    content_type=part.headers.get("Content-Type"),
                )
        return payload, uploads
    if not request.can_read_body:
        return {}, uploads
    text = await request.text()
    return (json.loads(text) if text else {}), uploads


@web.middleware
async def discord_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    server = server_of(request)
    if not request.path.startswith(API + "/"):
        return await handler(request)
    match = request.match_info
    route = request.method + " " + request.path[len(API) :]
    if match.http_exception is not None:
        server.unknown_routes.append(f"{request.method} {request.path[len(API) :]}")
        status = match.http_exception.status
        response: web.StreamResponse = json_response(
            {"message": f"{status}: {match.http_exception.reason}", "code": 0}, status
        )
        server.limiter.log.append(
            RequestRecord(request.method, route, request.path, status, 0, time.monotonic())
        )
        server.notify()
        return response
    template = match.route.resource.canonical[len(API) :] if match.route.resource else ""
    route = f"{request.method} {template}"
    code: int | None = None
    try:
        if not any(template.startswith(p) for p in TOKEN_ROUTES):
            if request.headers.get("Authorization") != f"Bot {server.token}":
                raise DiscordError(401, 0, "401: Unauthorized")
        major = "+".join(
            match.get(k, "")
            for k in ("channel_id", "guild_id", "webhook_id", "webhook_token")
            if k in match
        )
        rate_headers = server.limiter.check(route, major)
        response = await handler(request)
        hook = server.answer_hooks.get(route)
        if hook is not None and response.status < 400:
            await _run_hook(hook, route, request, response)
        response.headers.update(rate_headers)
    except DiscordError as error:
        code = error.code
        response = json_response(error.body(), error.status, error.headers)
    server.limiter.log.append(
        RequestRecord(request.method, route, request.path, response.status, code, time.monotonic())
    )
    server.notify()
    return response


async def _run_hook(
    hook: AnswerHook, route: str, request: web.Request, response: web.StreamResponse
) -> None:
    raw = response.body if isinstance(response, web.Response) else None
    body = json.loads(raw) if isinstance(raw, bytes) and raw else None
    params = {k: v for k, v in request.match_info.items() if isinstance(v, str)}
    result = hook(Answer(route, params, response.status, body))
    if inspect.isawaitable(result):
        await result


# --- users, application, gateway ----------------------------------------------------------------


async def get_me(request: web.Request) -> web.Response:
    return json_response(server_of(request).me_payload())


async def get_user(request: web.Request) -> web.Response:
    server = server_of(request)
    user = server.users.get(snowflake(request, "user_id"))
    if user is None:
        raise codes.unknown("User", codes.UNKNOWN_USER)
    return json_response(user.payload())


async def get_my_guilds(request: web.Request) -> web.Response:
    server = server_of(request)
    return json_response(
        [
            {
                "id": str(g.id),
                "name": g.name,
                "icon": None,
                "banner": None,
                "owner": False,
                "permissions": str(g.base_permissions(g.members[server.bot_user.id])),
                "features": [],
            }
            for g in server.guilds.values()
        ]
    )


async def create_dm(request: web.Request) -> web.Response:
    server = server_of(request)
    body, _ = await read_body(request)
    user = server.users.get(int(body.get("recipient_id", 0)))
    if user is None:
        raise codes.unknown("User", codes.UNKNOWN_USER)
    return json_response(server.channel_payload(server.dm_channel(user)))


async def get_application(request: web.Request) -> web.Response:
    return json_response(server_of(request).application_payload())


async def get_gateway(request: web.Request) -> web.Response:
    return json_response({"url": server_of(request).gateway_url})


async def get_gateway_bot(request: web.Request) -> web.Response:
    return json_response(
        {
            "url": server_of(request).gateway_url,
            "shards": 1,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 14_400_000,
                "max_concurrency": 1,
            },
        }
    )


# --- application commands -----------------------------------------------------------------------


def _app_guild(request: web.Request) -> int | None:
    server = server_of(request)
    if snowflake(request, "application_id") != server.application_id:
        raise DiscordError(
            403, 20012, "You are not authorized to perform this action on this application"
        )
    if "guild_id" in request.match_info:
        return server.get_guild(snowflake(request, "guild_id")).id
    return None


async def put_commands(request: web.Request) -> web.Response:
    server = server_of(request)
    guild_id = _app_guild(request)
    body, _ = await read_body(request)
    commands = server.sync_commands(guild_id, list(body))
    return json_response([c.payload() for c in commands])


async def get_commands(request: web.Request) -> web.Response:
    server = server_of(request)
    guild_id = _app_guild(request)
    return json_response([c.payload() for c in server.commands.values() if c.guild_id == guild_id])


# --- interactions and webhooks ------------------------------------------------------------------


async def interaction_callback(request: web.Request) -> web.Response:
    server = server_of(request)
    record = server.interactions.get(snowflake(request, "webhook_id"))
    if record is None or record.token != request.match_info["webhook_token"]:
        raise DiscordError(404, codes.UNKNOWN_INTERACTION, "Unknown interaction")
    body, uploads = await read_body(request)
    result = server.interaction_callback(record, body, uploads)
    if query_bool(request, "with_response"):
        return json_response(result)
    return no_content()


async def execute_webhook(request: web.Request) -> web.Response:
    server = server_of(request)
    record = server.interaction_by_token(
        snowflake(request, "webhook_id"), request.match_info["webhook_token"]
    )
    body, uploads = await read_body(request)
    message = server.followup(record, body, uploads)
    if query_bool(request, "wait"):
        return json_response(server.message_payload(message))
    return no_content()


async def get_webhook_message(request: web.Request) -> web.Response:
    server = server_of(request)
    record = server.interaction_by_token(
        snowflake(request, "webhook_id"), request.match_info["webhook_token"]
    )
    message = server.webhook_message(record, request.match_info["message_id"])
    return json_response(server.message_payload(message))


async def edit_webhook_message(request: web.Request) -> web.Response:
    server = server_of(request)
    record = server.interaction_by_token(
        snowflake(request, "webhook_id"), request.match_info["webhook_token"]
    )
    message = server.webhook_message(record, request.match_info["message_id"])
    body, uploads = await read_body(request)
    server.edit_webhook_message(record, message, body, uploads)
    return json_response(server.message_payload(message))


async def delete_webhook_message(request: web.Request) -> web.Response:
    server = server_of(request)
    record = server.interaction_by_token(
        snowflake(request, "webhook_id"), request.match_info["webhook_token"]
    )
    message = server.webhook_message(record, request.match_info["message_id"])
    server.delete_message(message)
    return no_content()


# --- channels and messages ----------------------------------------------------------------------


async def get_channel(request: web.Request) -> web.Response:
    server = server_of(request)
    channel = server.get_channel(snowflake(request, "channel_id"))
    return json_response(server.channel_payload(channel))


async def create_message(request: web.Request) -> web.Response:
    server = server_of(request)
    channel = server.get_channel(snowflake(request, "channel_id"))
    body, uploads = await read_body(request)
    message = server.create_channel_message(channel, body, uploads)
    return json_response(server.message_payload(message))


async def get_message(request: web.Request) -> web.Response:
    server = server_of(request)
    channel = server.get_channel(snowflake(request, "channel_id"))
    if channel.type != DM:
        server.require(channel, HISTORY)
    message = server.get_message(channel, snowflake(request, "message_id"))
    return json_response(server.message_payload(message))


async def get_messages(request: web.Request) -> web.Response:
    server = server_of(request)
    channel = server.get_channel(snowflake(request, "channel_id"))
    if channel.type != DM:
        server.require(channel, HISTORY)
    limit = max(1, min(query_int(request, "limit", 50) or 50, 100))
    messages = channel.visible_messages()  # oldest first
    before, after, around = (query_int(request, k) for k in ("before", "after", "around"))
    if around is not None:
        older = [m for m in messages if m.id < around][-(limit // 2) :] if limit > 1 else []
        rest = [m for m in messages if m.id >= around][: limit - len(older)]
        chosen = older + rest
    elif after is not None:
        chosen = [m for m in messages if m.id > after][:limit]
    else:
        if before is not None:
            messages = [m for m in messages if m.id < before]
        chosen = messages[-limit:]
    return json_response([server.message_payload(m) for m in reversed(chosen)])


async def edit_message(request: web.Request) -> web.Response:
    server = server_of(request)
    channel = server.get_channel(snowflake(request, "channel_id"))
    message = server.get_message(channel, snowflake(request, "message_id"))
    if message.author.id != server.bot_user.id:
        raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
    body, uploads = await read_body(request)
    route = "PATCH /channels/{channel_id}/messages/{message_id}"
    if server.is_old(message):
        server.limiter.check_old_edit(route, channel.id)
    check_message(body, creating=False)
    server.edit_message(message, body, uploads)
    return json_response(server.message_payload(message))


async def delete_message(request: web.Request) -> web.Response:
    server = server_of(request)
    channel = server.get_channel(snowflake(request, "channel_id"))
    message = server.get_message(channel, snowflake(request, "message_id"))
    if message.author.id != server.bot_user.id and channel.type != DM:
        server.require(channel, MANAGE_MESSAGES)
    server.delete_message(message)
    return no_content()


async def typing(request: web.Request) -> web.Response:
    server_of(request).get_channel(snowflake(request, "channel_id"))
    return no_content()


# --- reactions ----------------------------------------------------------------------------------


def _reaction_target(request: web.Request) -> tuple[Any, Any, str]:
    server = server_of(request)
    channel = server.get_channel(snowflake(request, "channel_id"))
    message = server.get_message(channel, snowflake(request, "message_id"))
    key = emoji_key(unquote(request.match_info.get("emoji", "")))
    if "emoji" in request.match_info and (not key or (key.isascii() and ":" not in key)):
        raise DiscordError(400, codes.UNKNOWN_EMOJI, "Unknown Emoji")
    return channel, message, key


async def add_own_reaction(request: web.Request) -> web.Response:
    server = server_of(request)
    channel, message, key = _reaction_target(request)
    if channel.type != DM:
        server.require(channel, HISTORY | (0 if message.reactions.get(key) else REACT))
    server.add_reaction(message, server.bot_user, key)
    return no_content()


async def remove_own_reaction(request: web.Request) -> web.Response:
    server = server_of(request)
    _, message, key = _reaction_target(request)
    server.remove_reaction(message, server.bot_user.id, key)
    return no_content()


async def remove_user_reaction(request: web.Request) -> web.Response:
    server = server_of(request)
    channel, message, key = _reaction_target(request)
    user_id = snowflake(request, "user_id")
    if user_id != server.bot_user.id:
        if channel.type == DM:
            raise DiscordError(403, 50003, "Cannot execute action on a DM channel")
        server.require(channel, MANAGE_MESSAGES)
    server.remove_reaction(message, user_id, key)
    return no_content()


async def get_reactions(request: web.Request) -> web.Response:
    server = server_of(request)
    _, message, key = _reaction_target(request)
    limit = max(1, min(query_int(request, "limit", 25) or 25, 100))
    after = query_int(request, "after", 0) or 0
    if query_int(request, "type", 0) == 1:  # burst reactions: the stand-in has none
        return json_response([])
    user_ids = sorted(u for u in message.reactions.get(key, []) if u > after)[:limit]
    return json_response([server.users[u].payload() for u in user_ids])


async def clear_reactions(request: web.Request) -> web.Response:
    server = server_of(request)
    channel, message, key = _reaction_target(request)
    server.require(channel, MANAGE_MESSAGES)
    server.clear_reactions(message, key or None)
    return no_content()


# --- guilds, channels, members, roles -----------------------------------------------------------


async def get_guild(request: web.Request) -> web.Response:
    server = server_of(request)
    guild = server.get_guild(snowflake(request, "guild_id"))
    counts = query_bool(request, "with_counts")
    return json_response(server.guild_payload(guild, with_counts=counts))


async def get_guild_channels(request: web.Request) -> web.Response:
    server = server_of(request)
    guild = server.get_guild(snowflake(request, "guild_id"))
    return json_response([c.payload() for c in guild.channels.values()])


async def create_guild_channel(request: web.Request) -> web.Response:
    server = server_of(request)
    guild = server.get_guild(snowflake(request, "guild_id"))
    bot_member = guild.members[server.bot_user.id]
    if guild.base_permissions(bot_member) & MANAGE_CHANNELS != MANAGE_CHANNELS:
        raise DiscordError(403, codes.MISSING_PERMISSIONS, "Missing Permissions")
    body, _ = await read_body(request)
    errors = codes.FormErrors()
    errors.required(("name",), body.get("name"))
    errors.max_length(("name",), body.get("name"), 100)
    errors.raise_if_any()
    overwrites = [
        Overwrite(int(o["id"]), int(o["type"]), int(o.get("allow", 0)), int(o.get("deny", 0)))
        for o in body.get("permission_overwrites") or []
    ]
    parent = guild.channels.get(int(body["parent_id"])) if body.get("parent_id") else None
    channel = server.add_channel(
        guild,
        body["name"],
        type=int(body.get("type", TEXT)),
        topic=body.get("topic"),
        parent=parent,
        overwrites=overwrites,
    )
    return json_response(channel.payload(), 201)


def _member(request: web.Request) -> Any:
    server = server_of(request)
    guild = server.get_guild(snowflake(request, "guild_id"))
    key = "user_id" if "user_id" in request.match_info else "member_id"
    member = guild.members.get(snowflake(request, key))
    if member is None:
        raise codes.unknown("Member", codes.UNKNOWN_MEMBER)
    return guild, member


async def get_member(request: web.Request) -> web.Response:
    _, member = _member(request)
    return json_response(member.payload())


async def list_members(request: web.Request) -> web.Response:
    server = server_of(request)
    guild = server.get_guild(snowflake(request, "guild_id"))
    if not server.privileged_intents & GUILD_MEMBERS:
        raise DiscordError(403, codes.MISSING_ACCESS, "Missing Access")
    limit = max(1, min(query_int(request, "limit", 1) or 1, 1000))
    after = query_int(request, "after", 0) or 0
    members = sorted((m for m in guild.members.values() if m.id > after), key=lambda m: m.id)
    return json_response([m.payload() for m in members[:limit]])


async def get_roles(request: web.Request) -> web.Response:
    guild = server_of(request).get_guild(snowflake(request, "guild_id"))
    return json_response([r.payload() for r in guild.roles.values()])


def _require_manage_roles(server: FakeDiscord, guild: Any) -> None:
    if guild.base_permissions(guild.members[server.bot_user.id]) & MANAGE_ROLES != MANAGE_ROLES:
        raise DiscordError(403, codes.MISSING_PERMISSIONS, "Missing Permissions")


async def create_role(request: web.Request) -> web.Response:
    server = server_of(request)
    guild = server.get_guild(snowflake(request, "guild_id"))
    _require_manage_roles(server, guild)
    body, _ = await read_body(request)
    role = server.add_role(
        guild,
        body.get("name") or "new role",
        permissions=int(body.get("permissions") or 0),
        color=int(body.get("color") or 0),
        mentionable=bool(body.get("mentionable", False)),
        hoist=bool(body.get("hoist", False)),
    )
    return json_response(role.payload())


async def edit_role(request: web.Request) -> web.Response:
    server = server_of(request)
    guild = server.get_guild(snowflake(request, "guild_id"))
    _require_manage_roles(server, guild)
    role = guild.roles.get(snowflake(request, "role_id"))
    if role is None:
        raise codes.unknown("Role", codes.UNKNOWN_ROLE)
    body, _ = await read_body(request)
    for key in ("name", "color", "hoist", "mentionable"):
        if key in body:
            setattr(role, key, body[key])
    if "permissions" in body:
        role.permissions = int(body["permissions"])
    server.gateway.dispatch(
        "GUILD_ROLE_UPDATE", {"guild_id": str(guild.id), "role": role.payload()}, intent=1
    )
    return json_response(role.payload())


async def delete_role(request: web.Request) -> web.Response:
    server = server_of(request)
    guild = server.get_guild(snowflake(request, "guild_id"))
    _require_manage_roles(server, guild)
    role_id = snowflake(request, "role_id")
    if guild.roles.pop(role_id, None) is None:
        raise codes.unknown("Role", codes.UNKNOWN_ROLE)
    for member in guild.members.values():
        if role_id in member.role_ids:
            member.role_ids.remove(role_id)
    server.gateway.dispatch(
        "GUILD_ROLE_DELETE", {"guild_id": str(guild.id), "role_id": str(role_id)}, intent=1
    )
    return no_content()


async def add_member_role(request: web.Request) -> web.Response:
    server = server_of(request)
    guild, member = _member(request)
    _require_manage_roles(server, guild)
    role_id = snowflake(request, "role_id")
    if role_id not in guild.roles:
        raise codes.unknown("Role", codes.UNKNOWN_ROLE)
    if role_id not in member.role_ids:
        member.role_ids.append(role_id)
        server._member_updated(member)
    return no_content()


async def remove_member_role(request: web.Request) -> web.Response:
    server = server_of(request)
    guild, member = _member(request)
    _require_manage_roles(server, guild)
    role_id = snowflake(request, "role_id")
    if role_id in member.role_ids:
        member.role_ids.remove(role_id)
        server._member_updated(member)
    return no_content()


# --- scheduled events ---------------------------------------------------------------------------


def _event(request: web.Request) -> Any:
    server = server_of(request)
    guild = server.get_guild(snowflake(request, "guild_id"))
    event = guild.events.get(snowflake(request, "event_id"))
    if event is None or event.deleted:
        raise codes.unknown("Guild Scheduled Event", codes.UNKNOWN_EVENT)
    return guild, event


def _require_events(server: FakeDiscord, guild: Any, needed: int) -> None:
    have = guild.base_permissions(guild.members[server.bot_user.id])
    if not have & needed:
        raise DiscordError(403, codes.MISSING_PERMISSIONS, "Missing Permissions")


async def list_events(request: web.Request) -> web.Response:
    server = server_of(request)
    guild = server.get_guild(snowflake(request, "guild_id"))
    counts = query_bool(request, "with_user_count")
    return json_response(
        [server.event_payload(e, with_user_count=counts) for e in server.events(guild)]
    )


async def create_event(request: web.Request) -> web.Response:
    server = server_of(request)
    guild = server.get_guild(snowflake(request, "guild_id"))
    _require_events(server, guild, CREATE_EVENTS | MANAGE_EVENTS)
    body, _ = await read_body(request)
    event = server.create_event(guild, body)
    return json_response(server.event_payload(event))


async def get_event(request: web.Request) -> web.Response:
    server = server_of(request)
    _, event = _event(request)
    return json_response(
        server.event_payload(event, with_user_count=query_bool(request, "with_user_count"))
    )


async def edit_event(request: web.Request) -> web.Response:
    server = server_of(request)
    guild, event = _event(request)
    if event.creator_id != server.bot_user.id:
        _require_events(server, guild, MANAGE_EVENTS)
    body, _ = await read_body(request)
    server.edit_event(event, body)
    return json_response(server.event_payload(event))


async def delete_event(request: web.Request) -> web.Response:
    server = server_of(request)
    guild, event = _event(request)
    if event.creator_id != server.bot_user.id:
        _require_events(server, guild, MANAGE_EVENTS)
    server.delete_event(event)
    return no_content()


async def event_users(request: web.Request) -> web.Response:
    server = server_of(request)
    guild, event = _event(request)
    limit = max(1, min(query_int(request, "limit", 100) or 100, 100))
    before, after = query_int(request, "before"), query_int(request, "after")
    user_ids = sorted(event.interested)
    if after is not None:
        user_ids = [u for u in user_ids if u > after][:limit]
    elif before is not None:
        user_ids = [u for u in user_ids if u < before][-limit:]
    else:
        user_ids = user_ids[:limit]
    result = []
    for user_id in user_ids:
        entry: dict[str, Any] = {
            "guild_scheduled_event_id": str(event.id),
            "user": server.users[user_id].payload(),
        }
        member = guild.members.get(user_id)
        if query_bool(request, "with_member") and member is not None:
            entry["member"] = member.payload(with_user=False)
        result.append(entry)
    return json_response(result)


# --- attachments (the "CDN") --------------------------------------------------------------------


async def get_attachment(request: web.Request) -> web.Response:
    server = server_of(request)
    attachment = server.attachments.get(int(request.match_info["attachment_id"]))
    if attachment is None:
        return web.Response(status=404, text="not found")
    return web.Response(body=attachment.data, content_type=attachment.content_type)


ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/users/@me", get_me),
    ("GET", "/users/@me/guilds", get_my_guilds),
    ("POST", "/users/@me/channels", create_dm),
    ("GET", "/users/{user_id}", get_user),
    ("GET", "/oauth2/applications/@me", get_application),
    ("GET", "/applications/@me", get_application),
    ("GET", "/gateway", get_gateway),
    ("GET", "/gateway/bot", get_gateway_bot),
    ("GET", "/applications/{application_id}/commands", get_commands),
    ("PUT", "/applications/{application_id}/commands", put_commands),
    ("GET", "/applications/{application_id}/guilds/{guild_id}/commands", get_commands),
    ("PUT", "/applications/{application_id}/guilds/{guild_id}/commands", put_commands),
    ("POST", "/interactions/{webhook_id}/{webhook_token}/callback", interaction_callback),
    ("POST", "/webhooks/{webhook_id}/{webhook_token}", execute_webhook),
    ("GET", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", get_webhook_message),
    ("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", edit_webhook_message),
    (
        "DELETE",
        "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}",
        delete_webhook_message,
    ),
    ("GET", "/channels/{channel_id}", get_channel),
    ("POST", "/channels/{channel_id}/typing", typing),
    ("GET", "/channels/{channel_id}/messages", get_messages),
    ("POST", "/channels/{channel_id}/messages", create_message),
    ("GET", "/channels/{channel_id}/messages/{message_id}", get_message),
    ("PATCH", "/channels/{channel_id}/messages/{message_id}", edit_message),
    ("DELETE", "/channels/{channel_id}/messages/{message_id}", delete_message),
    ("DELETE", "/channels/{channel_id}/messages/{message_id}/reactions", clear_reactions),
    ("GET", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}", get_reactions),
    ("DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}", clear_reactions),
    ("PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", add_own_reaction),
    (
        "DELETE",
        "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me",
        remove_own_reaction,
    ),
    (
        "DELETE",
        "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/{user_id}",
        remove_user_reaction,
    ),
    ("GET", "/guilds/{guild_id}", get_guild),
    ("GET", "/guilds/{guild_id}/channels", get_guild_channels),
    ("POST", "/guilds/{guild_id}/channels", create_guild_channel),
    ("GET", "/guilds/{guild_id}/members", list_members),
    ("GET", "/guilds/{guild_id}/members/{member_id}", get_member),
    ("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", add_member_role),
    ("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", remove_member_role),
    ("GET", "/guilds/{guild_id}/roles", get_roles),
    ("POST", "/guilds/{guild_id}/roles", create_role),
    ("PATCH", "/guilds/{guild_id}/roles/{role_id}", edit_role),
    ("DELETE", "/guilds/{guild_id}/roles/{role_id}", delete_role),
    ("GET", "/guilds/{guild_id}/scheduled-events", list_events),
    ("POST", "/guilds/{guild_id}/scheduled-events", create_event),
    ("GET", "/guilds/{guild_id}/scheduled-events/{event_id}", get_event),
    ("PATCH", "/guilds/{guild_id}/scheduled-events/{event_id}", edit_event),
    ("DELETE", "/guilds/{guild_id}/scheduled-events/{event_id}", delete_event),
    ("GET", "/guilds/{guild_id}/scheduled-events/{event_id}/users", event_users),
]


def build_app(server: FakeDiscord) -> web.Application:
    app = web.Application(middlewares=[discord_middleware], client_max_size=64 * 1024 * 1024)
    app[SERVER] = server
    for method, path, handler in ROUTES:
        app.router.add_route(method, API + path, handler)
    app.router.add_get("/", server.gateway.handle)
    app.router.add_get("/resume", server.gateway.handle)
    app.router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", get_attachment)
    return app
