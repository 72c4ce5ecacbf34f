"""The driver: what a member does in the Discord client, and what they then see.

    d = Driver(server, guild)
    reply = await d.slash("Rhian Evans", "events create", when="3 Dec 6:30pm", title="AGM")
    assert reply.ephemeral and "AGM" in reply.text
    await d.click("Dafydd Jones", reply.message, "rsvp:yes")
    await d.react("Dafydd Jones", post, "✅")

Members are passed as a Member, a display name or a user id; channels as a Channel, a name
('general' or '#general') or an id; messages as a Message or an id. Options are built from the
command schema the bot synced, so their types are the ones Discord would send.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, overload

import discord

from .models import (
    Channel,
    Command,
    Guild,
    InteractionRecord,
    Member,
    Message,
    Role,
    User,
    emoji_key,
    walk_components,
)
from .server import APP_COMMAND, AUTOCOMPLETE, COMPONENT, MODAL_SUBMIT, FakeDiscord

T = TypeVar("T")
Who = Member | User | str | int
Where = Channel | str | int

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = (
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
    11,
)


class DriverError(AssertionError):
    """Something a member could not have done in the Discord client, or the bot never answered."""


@dataclass
class Reply:
    """What the member saw in answer to an interaction. `message` is live: later edits show."""

    server: FakeDiscord
    interaction: InteractionRecord

    @property
    def type(self) -> int | None:
        """The callback type: 4 message, 5 deferred, 6 deferred update, 7 update, 8 choices,
        9 modal."""
        return self.interaction.response_type

    @property
    def message(self) -> Message | None:
        original = self.interaction.original_id
        return self.server.messages.get(original) if original is not None else None

    def _message(self) -> Message:
        if self.message is None:
            raise DriverError(f"the bot answered with type {self.type}, not a message")
        return self.message

    @property
    def content(self) -> str:
        return self._message().content

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self._message().embeds

    def embed(self, index: int = 0) -> discord.Embed:
        """One embed of the reply as a discord.Embed (for .title, .fields, .footer.text...)."""
        return discord.Embed.from_dict(self.embeds[index])

    @property
    def components(self) -> list[dict[str, Any]]:
        return self._message().components

    @property
    def files(self) -> dict[str, bytes]:
        return self._message().files

    @property
    def ephemeral(self) -> bool:
        return self._message().ephemeral

    @property
    def text(self) -> str:
        """Content and embed text of the reply, then of each follow-up."""
        parts = [m.text for m in [self.message, *self.followups] if m is not None]
        return "\n".join(p for p in parts if p)

    def buttons(self) -> list[dict[str, Any]]:
        return self._message().buttons()

    @property
    def modal(self) -> dict[str, Any] | None:
        return self.interaction.modal

    @property
    def choices(self) -> list[dict[str, Any]] | None:
        return self.interaction.choices

    @property
    def followups(self) -> list[Message]:
        return [self.server.messages[i] for i in self.interaction.followup_ids]

    async def wait_followups(self, count: int = 1, timeout: float = 5.0) -> list[Message]:  # noqa: ASYNC109
        await self.server.wait_for(
            lambda: len(self.interaction.followup_ids) >= count,
            timeout,
            message=f"expected {count} follow-up(s), got {len(self.interaction.followup_ids)}",
        )
        return self.followups

    def __str__(self) -> str:
        return self.text


MessageRef = Message | Reply | int | None


class Driver:
    """Acts as members of one guild (the first one, unless given)."""

    def __init__(
        self,
        server: FakeDiscord,
        guild: Guild | None = None,
        *,
        channel: Where | None = None,
        timeout: float = 5.0,
    ) -> None:
        self.server = server
        self._guild = guild
        self._default_channel = channel
        self.timeout = timeout
        self._submitted_modals: set[int] = set()

    # --- looking things up ----------------------------------------------------------------------

    @property
    def guild(self) -> Guild:
        if self._guild is None:
            self._guild = next(iter(self.server.guilds.values()))
        return self._guild

    def member(self, who: Who) -> Member:
        if isinstance(who, Member):
            return who
        if isinstance(who, User):
            return self.guild.members[who.id]
        if isinstance(who, int):
            return self.guild.members[who]
        return self.guild.member(who)

    def channel(self, where: Where | None = None) -> Channel:
        where = where if where is not None else self._default_channel
        if where is None:
            return next(c for c in self.guild.channels.values() if c.type == 0)
        if isinstance(where, Channel):
            return where
        if isinstance(where, int):
            return self.server.channels[where]
        return self.guild.channel(where)

    def role(self, name: str | Role) -> Role:
        return name if isinstance(name, Role) else self.guild.role(name)

    def message(self, message: MessageRef) -> Message:
        if isinstance(message, Reply):
            return message._message()
        if isinstance(message, Message):
            return message
        if message is None:
            raise DriverError("no message (did the bot answer with one?)")
        return self.server.messages[message]

    def messages(
        self, where: Where | None = None, *, include_ephemeral: bool = False
    ) -> list[Message]:
        """A channel's messages, oldest first, as members see them (no ephemeral ones unless
        asked)."""
        return self.channel(where).visible_messages(include_ephemeral=include_ephemeral)

    def last_message(self, where: Where | None = None) -> Message:
        messages = self.messages(where)
        if not messages:
            raise DriverError(f"#{self.channel(where).name} has no messages")
        return messages[-1]

    def dms(self, who: Who) -> list[Message]:
        """The bot's DMs to a member, oldest first."""
        return self.server.dms(self.member(who).user)

    # --- waiting --------------------------------------------------------------------------------

    @overload
    async def wait_for(
        self,
        predicate: Callable[[], Awaitable[T | None]],
        *,
        timeout: float | None = None,  # noqa: ASYNC109
        message: str | None = None,
    ) -> T: ...

    @overload
    async def wait_for(
        self,
        predicate: Callable[[], T | None],
        *,
        timeout: float | None = None,  # noqa: ASYNC109
        message: str | None = None,
    ) -> T: ...

    async def wait_for(
        self,
        predicate: Callable[[], T | Awaitable[T | None] | None],
        *,
        timeout: float | None = None,  # noqa: ASYNC109
        message: str | None = None,
    ) -> T:
        """Wait until `predicate()` (sync or async) is truthy; no fixed sleeps (the overloads
        let mypy see what an async predicate's value is)."""
        return await self.server.wait_for(predicate, timeout or self.timeout, message=message)

    async def wait_for_message(
        self,
        where: Where | None = None,
        predicate: Callable[[Message], bool] | None = None,
        *,
        after: Message | int | None = None,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> Message:
        """The first visible message in the channel (after `after`) matching `predicate`."""
        after_id = after.id if isinstance(after, Message) else (after or 0)

        def found() -> Message | None:
            for message in self.messages(where):
                if message.id > after_id and (predicate is None or predicate(message)):
                    return message
            return None

        return await self.wait_for(
            found, timeout=timeout, message=f"no matching message in #{self.channel(where).name}"
        )

    async def wait_for_dm(
        self,
        who: Who,
        predicate: Callable[[Message], bool] | None = None,
        *,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> Message:
        def found() -> Message | None:
            return next((m for m in self.dms(who) if predicate is None or predicate(m)), None)

        return await self.wait_for(found, timeout=timeout, message=f"no matching DM to {who}")

    # --- slash commands -------------------------------------------------------------------------

    def command(self, path: str) -> Command:
        return self.server.find_command(path.split()[0].lstrip("/"), self.guild.id)

    async def slash(
        self,
        who: Who,
        path: str,
        /,
        *,
        in_channel: Where | None = None,
        options: Mapping[str, Any] | None = None,
        timeout: float | None = None,  # noqa: ASYNC109
        **kwargs: Any,
    ) -> Reply:
        """Run `/path` (e.g. "events create") in `in_channel` (default: the driver's channel)
        with options as keyword arguments; use `options={...}` for names that aren't
        identifiers or that are `in_channel`, `options` or `timeout`. Waits for the answer;
        after a defer, for the follow-up or the edit that replaces "thinking…"."""
        member = self.member(who)
        where = self.channel(in_channel)
        values = {**(options or {}), **kwargs}
        data = self._command_data(path, values, member, where, focused=None)
        record = self.server.start_interaction(
            kind=APP_COMMAND, user=member, channel=where, data=data, command_path=path
        )
        return await self._answer(record, timeout)

    async def autocomplete(
        self,
        who: Who,
        path: str,
        focused: str,
        value: str = "",
        /,
        *,
        in_channel: Where | None = None,
        timeout: float | None = None,  # noqa: ASYNC109
        **options: Any,
    ) -> list[dict[str, Any]]:
        """Type `value` into option `focused` of `/path` (other options as keywords, as the
        member filled them so far); returns the bot's choices."""
        member = self.member(who)
        where = self.channel(in_channel)
        values = {**options, focused: value}
        data = self._command_data(path, values, member, where, focused=focused)
        record = self.server.start_interaction(
            kind=AUTOCOMPLETE, user=member, channel=where, data=data, command_path=path
        )
        await self._wait_answer(record, timeout)
        return list(record.choices or [])

    def _command_data(
        self,
        path: str,
        values: dict[str, Any],
        member: Member,
        channel: Channel,
        *,
        focused: str | None,
    ) -> dict[str, Any]:
        command = self.command(path)
        names = path.lstrip("/").split()
        schema: list[dict[str, Any]] = list(command.data.get("options") or [])
        top: list[dict[str, Any]] = []
        level = top
        for name in names[1:]:
            option = next(
                (
                    o
                    for o in schema
                    if o["name"] == name and o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)
                ),
                None,
            )
            if option is None:
                known = [o["name"] for o in schema if o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)]
                raise DriverError(f"/{' '.join(names)}: no subcommand {name!r} (have {known})")
            node: dict[str, Any] = {"type": option["type"], "name": name, "options": []}
            level.append(node)
            level = node["options"]
            schema = list(option.get("options") or [])
        if any(o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in schema):
            known = [o["name"] for o in schema]
            raise DriverError(f"/{' '.join(names)} needs a subcommand: one of {known}")
        resolved: dict[str, dict[str, Any]] = {}
        unknown = set(values) - {o["name"] for o in schema}
        if unknown:
            raise DriverError(
                f"/{' '.join(names)} has no option(s) {sorted(unknown)}; "
                f"it has {[o['name'] for o in schema]}"
            )
        for option in schema:
            name = option["name"]
            if name not in values:
                if option.get("required") and focused is None:
                    raise DriverError(f"/{' '.join(names)}: option {name!r} is required")
                continue
            if name == focused:
                level.append(
                    {
                        "type": option["type"],
                        "name": name,
                        "value": str(values[name]),
                        "focused": True,
                    }
                )
                continue
            value = self._option_value(option, values[name], member, channel, resolved, names)
            level.append({"type": option["type"], "name": name, "value": value})
        data: dict[str, Any] = {
            "id": str(command.id),
            "name": command.name,
            "type": 1,
            "options": top,
        }
        if command.guild_id is not None:
            data["guild_id"] = str(command.guild_id)
        if resolved:
            data["resolved"] = resolved
        return data

    def _option_value(
        self,
        option: dict[str, Any],
        value: Any,
        member: Member,
        channel: Channel,
        resolved: dict[str, dict[str, Any]],
        names: list[str],
    ) -> Any:
        kind = option["type"]
        where = f"/{' '.join(names)} {option['name']}"
        choices = option.get("choices") or []
        if kind in (STRING, INTEGER, NUMBER) and choices:
            by_name = {c["name"]: c["value"] for c in choices}
            if value in by_name and value not in by_name.values():
                value = by_name[value]
            if value not in [c["value"] for c in choices]:
                raise DriverError(f"{where}: {value!r} is not one of the choices {list(by_name)}")
        if kind == STRING:
            if not isinstance(value, str):
                raise DriverError(f"{where} takes text, not {value!r}")
            if len(value) < option.get("min_length", 0):
                raise DriverError(f"{where}: at least {option['min_length']} characters")
            if "max_length" in option and len(value) > option["max_length"]:
                raise DriverError(f"{where}: at most {option['max_length']} characters")
            return value
        if kind in (INTEGER, NUMBER):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise DriverError(f"{where} takes a number, not {value!r}")
            if kind == INTEGER and int(value) != value:
                raise DriverError(f"{where} takes a whole number, not {value!r}")
            if "min_value" in option and value < option["min_value"]:
                raise DriverError(f"{where}: at least {option['min_value']}")
            if "max_value" in option and value > option["max_value"]:
                raise DriverError(f"{where}: at most {option['max_value']}")
            return int(value) if kind == INTEGER else float(value)
        if kind == BOOLEAN:
            if not isinstance(value, bool):
                raise DriverError(f"{where} takes True or False, not {value!r}")
            return value
        if kind == USER or (kind == MENTIONABLE and not isinstance(value, Role)):
            target = self.member(value)
            permissions = self.guild.permissions_in(target, channel)
            resolved.setdefault("users", {})[str(target.id)] = target.user.payload()
            resolved.setdefault("members", {})[str(target.id)] = target.payload(
                with_user=False, permissions=permissions
            )
            return str(target.id)
        if kind in (ROLE, MENTIONABLE):
            role = self.role(value)
            resolved.setdefault("roles", {})[str(role.id)] = role.payload()
            return str(role.id)
        if kind == CHANNEL:
            target_channel = self.channel(value)
            allowed = option.get("channel_types")
            if allowed and target_channel.type not in allowed:
                raise DriverError(f"{where}: channel type {target_channel.type} not in {allowed}")
            resolved.setdefault("channels", {})[str(target_channel.id)] = {
                "id": str(target_channel.id),
                "name": target_channel.name,
                "type": target_channel.type,
                "permissions": str(self.guild.permissions_in(member, target_channel)),
                "parent_id": str(target_channel.parent_id) if target_channel.parent_id else None,
                "guild_id": str(self.guild.id),
            }
            return str(target_channel.id)
        if kind == ATTACHMENT:
            filename, data = value
            attachment = self.server.new_attachment(
                channel.id, filename, bytes(data), ephemeral=True
            )
            resolved.setdefault("attachments", {})[str(attachment.id)] = attachment.payload()
            return str(attachment.id)
        raise DriverError(f"{where}: option type {kind} is not supported by the driver")

    # --- components and modals ------------------------------------------------------------------

    async def click(
        self,
        who: Who,
        message: MessageRef,
        button: str,
        *,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> Reply:
        """Press the button with this custom_id (or label) on a message. After a deferred
        update (type 6) this waits for the edit of that message (or a follow-up)."""
        member = self.member(who)
        target = self.message(message)
        try:
            component = target.button(button)
        except KeyError:
            have = [(b.get("label"), b.get("custom_id")) for b in target.buttons()]
            raise DriverError(f"no button {button!r} on message {target.id}; has {have}") from None
        if component.get("disabled"):
            raise DriverError(f"button {button!r} is disabled")
        if "custom_id" not in component:
            raise DriverError(f"button {button!r} is a link button")
        data = {"custom_id": component["custom_id"], "component_type": 2}
        return await self._component(member, target, data, timeout)

    async def select(
        self,
        who: Who,
        message: MessageRef,
        custom_id: str,
        values: Sequence[str],
        *,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> Reply:
        """Choose `values` in the string select menu `custom_id` on a message."""
        member = self.member(who)
        target = self.message(message)
        menu = next(
            (c for c in walk_components(target.components) if c.get("custom_id") == custom_id), None
        )
        if menu is None or menu.get("type") != 3:
            raise DriverError(f"no string select {custom_id!r} on message {target.id}")
        offered = [o["value"] for o in menu.get("options") or []]
        if any(v not in offered for v in values):
            raise DriverError(f"{list(values)} not all among {offered}")
        data = {"custom_id": custom_id, "component_type": 3, "values": list(values)}
        return await self._component(member, target, data, timeout)

    async def _component(
        self, member: Member, target: Message, data: dict[str, Any], limit: float | None
    ) -> Reply:
        channel = self.server.channels[target.channel_id]
        edits = target.edits
        record = self.server.start_interaction(
            kind=COMPONENT, user=member, channel=channel, data=data, message=target
        )
        return await self._answer(record, limit, edits_before=edits)

    async def submit_modal(
        self,
        who: Who,
        values: Mapping[str, str | Sequence[str]],
        *,
        custom_id: str | None = None,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> Reply:
        """Fill in and submit the modal the bot last opened for this member (text inputs by
        custom_id; unset ones keep their pre-filled value)."""
        member = self.member(who)
        opened = [
            r
            for r in self.server.interactions.values()
            if r.modal is not None
            and r.user.id == member.id
            and r.id not in self._submitted_modals
            and (custom_id is None or r.modal.get("custom_id") == custom_id)
        ]
        if not opened:
            raise DriverError(
                f"the bot has no open modal {custom_id or ''} for {member.display_name}"
            )
        source = opened[-1]
        assert source.modal is not None
        used: set[str] = set()
        components = _fill_modal(source.modal.get("components") or [], values, used)
        unknown = set(values) - used
        if unknown:
            raise DriverError(
                f"modal {source.modal['custom_id']!r} has no inputs {sorted(unknown)}"
            )
        self._submitted_modals.add(source.id)
        data = {"custom_id": source.modal["custom_id"], "components": components}
        channel = self.server.channels[source.channel_id]
        message = self.server.messages.get(source.message_id) if source.message_id else None
        edits = message.edits if message is not None else 0
        record = self.server.start_interaction(
            kind=MODAL_SUBMIT, user=member, channel=channel, data=data, message=message
        )
        return await self._answer(record, timeout, edits_before=edits)

    # --- reactions and messages -----------------------------------------------------------------

    async def react(self, who: Who, message: MessageRef, emoji: str) -> None:
        """The member adds a reaction (MESSAGE_REACTION_ADD reaches the bot)."""
        member = self.member(who)
        if not self.server.add_reaction(self.message(message), member.user, emoji_key(emoji)):
            raise DriverError(f"{member.display_name} already reacted {emoji}")

    async def unreact(self, who: Who, message: MessageRef, emoji: str) -> None:
        """The member removes their reaction (MESSAGE_REACTION_REMOVE reaches the bot)."""
        member = self.member(who)
        if not self.server.remove_reaction(self.message(message), member.id, emoji_key(emoji)):
            raise DriverError(f"{member.display_name} has no {emoji} reaction to remove")

    async def say(self, who: Who, where: Where | None, content: str) -> Message:
        """The member posts a message (MESSAGE_CREATE; content blanked without the intent)."""
        member = self.member(who)
        return self.server.post_message(self.channel(where), member.user, {"content": content})

    # --- the gateway ----------------------------------------------------------------------------

    async def drop_gateway(self, *, abrupt: bool = False, timeout: float | None = None) -> None:  # noqa: ASYNC109
        """Close the bot's gateway socket and wait until it has RESUMEd (or re-IDENTIFYed)."""
        async with self.gateway_down(abrupt=abrupt, timeout=timeout):
            pass

    @contextlib.asynccontextmanager
    async def gateway_down(
        self,
        *,
        abrupt: bool = False,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> AsyncIterator[None]:
        """Inside the block the bot is off the gateway (dispatches are buffered for its session);
        on exit it reconnects, and this waits for the RESUME that replays them."""
        gateway = self.server.gateway
        resumes, identifies = gateway.resumes, gateway.identifies
        gateway.hold()
        try:
            await gateway.drop(abrupt=abrupt)
            await self.wait_for(
                lambda: not gateway.connected, timeout=timeout, message="the socket did not close"
            )
            yield
        finally:
            gateway.release()
        await self.wait_for(
            lambda: (
                gateway.connected and (gateway.resumes > resumes or gateway.identifies > identifies)
            ),
            timeout=timeout,
            message="the bot did not reconnect to the gateway",
        )

    # --- answers --------------------------------------------------------------------------------

    async def _wait_answer(self, record: InteractionRecord, within: float | None) -> None:
        limit = within or self.timeout
        what = record.command_path or record.data.get("custom_id") or "the interaction"

        def settled() -> bool:
            expired = any(code == 10062 for _, _, code in record.rejected)
            return record.responded or expired

        try:
            await self.server.wait_for(settled, limit)
        except TimeoutError:
            raise DriverError(
                f"the bot did not answer {what!r} within {limit}s "
                f"(unknown routes: {self.server.unknown_routes})"
            ) from None
        if not record.responded:
            raise DriverError(
                f"the bot answered {what!r} too late: {record.rejected} "
                f"(deadline {self.server.rules.interaction_deadline}s)"
            )

    async def _answer(
        self, record: InteractionRecord, within: float | None, *, edits_before: int = 0
    ) -> Reply:
        await self._wait_answer(record, within)
        if record.response_type == 6 and record.message_id is not None:
            # A deferred update: wait for the edit (or a follow-up) it promises.
            target = self.server.messages[record.message_id]

            def updated() -> bool:
                return target.edits > edits_before or target.deleted or bool(record.followup_ids)

            try:
                await self.server.wait_for(updated, within or self.timeout)
            except TimeoutError:
                raise DriverError(
                    f"the bot deferred the update of message {target.id} but never edited it"
                ) from None
        if record.response_type == 5:

            def settled() -> bool:
                original = self.server.messages.get(record.original_id or 0)
                return original is None or original.deleted or not original.loading

            try:
                await self.server.wait_for(settled, within or self.timeout)
            except TimeoutError:
                raise DriverError(
                    f"the bot deferred {record.command_path!r} but never followed up"
                ) from None
        return Reply(self.server, record)


def _fill_modal(
    components: list[dict[str, Any]], values: Mapping[str, str | Sequence[str]], used: set[str]
) -> list[dict[str, Any]]:
    """The modal's components as Discord submits them, holding the member's input."""
    submitted: list[dict[str, Any]] = []
    for component in components:
        kind = component.get("type")
        extra = {"id": component["id"]} if "id" in component else {}
        if kind == 1:
            children = _fill_modal(component.get("components") or [], values, used)
            submitted.append({"type": 1, **extra, "components": children})
        elif kind == 18:
            inner = _fill_modal([component["component"]], values, used)
            submitted.append({"type": 18, **extra, "component": inner[0]})
        elif kind == 4:
            custom_id = component["custom_id"]
            value = values.get(custom_id, component.get("value") or "")
            if custom_id in values:
                used.add(custom_id)
            if not isinstance(value, str):
                raise DriverError(f"text input {custom_id!r} takes text")
            if component.get("required", True) and not value:
                raise DriverError(f"text input {custom_id!r} is required")
            if value and len(value) < (component.get("min_length") or 0):
                raise DriverError(f"text input {custom_id!r}: at least {component['min_length']}")
            if len(value) > (component.get("max_length") or 4000):
                raise DriverError(f"text input {custom_id!r}: too long")
            submitted.append({"type": 4, **extra, "custom_id": custom_id, "value": value})
        elif kind in (3, 5, 6, 7, 8):
            custom_id = component["custom_id"]
            chosen = values.get(custom_id, [])
            if custom_id in values:
                used.add(custom_id)
            submitted.append(
                {"type": kind, **extra, "custom_id": custom_id, "values": list(chosen)}
            )
        elif kind == 10:
            submitted.append({"type": 10, **extra, "content": component.get("content", "")})
    return submitted


__all__ = ["Driver", "DriverError", "Reply"]
