"""Self-tests of the Discord stand-in, driving the real discord.py client with a tiny bot."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.fakediscord import Driver, DriverError, FakeDiscord, running_bot

MESSAGES = "POST /channels/{channel_id}/messages"


class Panel(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Hit me", custom_id="panel:hit", style=discord.ButtonStyle.primary)
    async def hit(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.edit_message(content=f"hit by {interaction.user.display_name}")

    @discord.ui.button(label="Later", custom_id="panel:later")
    async def later(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.defer()
        await asyncio.sleep(0.05)
        await interaction.edit_original_response(content="updated later", view=None)

    @discord.ui.button(label="Ask", custom_id="panel:ask")
    async def ask(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.send_modal(TopicForm())


class TopicForm(discord.ui.Modal, title="Suggest a topic"):
    topic: discord.ui.TextInput[Any] = discord.ui.TextInput(label="Topic", custom_id="topic")
    notes: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Notes", custom_id="notes", required=False, default="none"
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            f"topic={self.topic.value} notes={self.notes.value}", ephemeral=True
        )


FRUITS = ["apple", "apricot", "banana", "cherry"]


class Things(commands.GroupCog, group_name="things", group_description="Test things"):
    admin = app_commands.Group(name="admin", description="Admin things")

    def __init__(self, bot: MiniBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(description="Echo with typed options")
    async def echo(
        self,
        interaction: discord.Interaction,
        text: str,
        times: app_commands.Range[int, 1, 5] = 1,
        loud: bool = False,
        channel: discord.TextChannel | None = None,
        role: discord.Role | None = None,
        who: discord.Member | None = None,
    ) -> None:
        said = (text.upper() if loud else text) * times
        parts = [said, f"channel={channel.name if channel else None}"]
        parts += [f"role={role.name if role else None}", f"who={who.display_name if who else None}"]
        parts.append(f"by={interaction.user.display_name}")
        await interaction.response.send_message(" ".join(parts))

    @app_commands.command(description="Deferred, then followed up")
    async def slow(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await asyncio.sleep(0.05)
        await interaction.followup.send("done slowly")
        await interaction.followup.send("and one more", ephemeral=False)

    @app_commands.command(description="Pick a fruit")
    async def pick(self, interaction: discord.Interaction, fruit: str) -> None:
        await interaction.response.send_message(f"picked {fruit}", ephemeral=True)

    @pick.autocomplete("fruit")
    async def pick_fruit(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=f.title(), value=f) for f in FRUITS if f.startswith(current)
        ]

    @app_commands.command(description="Post a panel with buttons")
    async def panel(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("panel", view=Panel())

    @app_commands.command(description="Open a form")
    async def form(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(TopicForm())

    @app_commands.command(description="Export a CSV")
    async def export(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True)
        data = discord.File(__import__("io").BytesIO(b"name,rsvp\nRhian,yes\n"), "rsvps.csv")
        embed = discord.Embed(title="Export").add_field(name="Rows", value="1")
        await interaction.followup.send("here you are", file=data, embed=embed, ephemeral=True)

    @app_commands.command(description="Answers too late")
    async def late(self, interaction: discord.Interaction) -> None:
        await asyncio.sleep(0.3)
        try:
            await interaction.response.send_message("too late")
        except discord.HTTPException as error:
            self.bot.errors.append(error)

    @app_commands.command(description="Answers twice")
    async def twice(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("first")
        interaction.response._response_type = None  # get past discord.py's own guard
        try:
            await interaction.response.send_message("second")
        except discord.HTTPException as error:
            self.bot.errors.append(error)

    @app_commands.command(description="Answer, then edit, read back and delete the answer")
    async def lifecycle(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("v1")
        await interaction.edit_original_response(content="v2")
        original = await interaction.original_response()
        self.bot.seen.append(original.content)
        await interaction.delete_original_response()

    @app_commands.command(description="Choose a colour")
    async def colour(self, interaction: discord.Interaction) -> None:
        view = discord.ui.View()
        menu: discord.ui.Select[Any] = discord.ui.Select(
            custom_id="colour",
            options=[discord.SelectOption(label=c, value=c) for c in ("red", "green")],
        )

        async def chosen(inner: discord.Interaction) -> None:
            await inner.response.send_message(f"chose {menu.values}", ephemeral=True)

        menu.callback = chosen  # type: ignore[method-assign, assignment]
        view.add_item(menu)
        await interaction.response.send_message("pick one", view=view)

    @admin.command(description="Reset a counter")
    async def reset(
        self, interaction: discord.Interaction, counter: int, hard: bool = False
    ) -> None:
        await interaction.response.send_message(f"reset {counter} hard={hard}", ephemeral=True)


class MiniBot(commands.Bot):
    def __init__(self, guild_id: int) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            allowed_mentions=discord.AllowedMentions.none(),
        )
        self.guild_id = guild_id
        self.raw: list[tuple[str, discord.RawReactionActionEvent]] = []
        self.errors: list[discord.HTTPException] = []
        self.seen: list[str] = []
        self.messages: list[discord.Message] = []

    async def setup_hook(self) -> None:
        await self.add_cog(Things(self))
        self.add_view(Panel())
        guild = discord.Object(self.guild_id)
        self.tree.copy_global_to(guild=guild)
        await self.tree.sync(guild=guild)

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        self.raw.append(("add", payload))

    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        self.raw.append(("remove", payload))

    async def on_message(self, message: discord.Message) -> None:
        self.messages.append(message)


@pytest.fixture
async def server() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(bot_name="Mini Bot") as fake:
        guild = fake.create_guild("Co-pro Network Wales")
        fake.add_channel(guild, "general")
        fake.add_channel(guild, "announcements")
        organiser = fake.add_role(
            guild, "Organiser", permissions=discord.Permissions(manage_events=True)
        )
        fake.add_member(guild, "Rhian Evans")
        fake.add_member(guild, "Dafydd Jones")
        fake.add_member(guild, "Olwen Organiser", roles=[organiser])
        yield fake


@pytest.fixture
async def bot(server: FakeDiscord) -> AsyncIterator[MiniBot]:
    guild = next(iter(server.guilds.values()))
    async with running_bot(server, MiniBot(guild.id)) as running:
        yield running


@pytest.fixture
def d(server: FakeDiscord) -> Driver:
    return Driver(server, timeout=3.0)


def channel_of(bot: MiniBot, server: FakeDiscord, name: str) -> discord.TextChannel:
    channel = bot.get_channel(Driver(server).channel(name).id)
    assert isinstance(channel, discord.TextChannel)
    return channel


# --- connecting ---------------------------------------------------------------------------------


async def test_connects_and_is_ready_with_the_guild(server: FakeDiscord, bot: MiniBot) -> None:
    assert bot.is_ready()
    assert [g.name for g in bot.guilds] == ["Co-pro Network Wales"]
    guild = bot.guilds[0]
    assert sorted(c.name for c in guild.text_channels) == ["announcements", "general"]
    assert {"Organiser", "@everyone"} <= {r.name for r in guild.roles}
    assert guild.me is not None and guild.me.bot
    assert bot.application_id == server.application_id
    assert server.gateway.compressions == ["zlib-stream"]
    assert server.command_syncs == [guild.id]
    assert server.unknown_routes == []


async def test_json_answers_have_exactly_application_json_and_need_the_token(
    server: FakeDiscord,
) -> None:
    async with aiohttp.ClientSession() as http:
        headers = {"Authorization": f"Bot {server.token}"}
        async with http.get(f"{server.rest_url}/users/@me", headers=headers) as response:
            assert response.headers["Content-Type"] == "application/json"
            assert (await response.json())["bot"] is True
        async with http.get(f"{server.rest_url}/users/@me") as response:
            assert response.status == 401
        async with http.get(f"{server.rest_url}/gateway/bot", headers=headers) as response:
            assert (await response.json())["url"] == server.gateway_url


async def test_the_gateway_speaks_to_a_raw_websocket(server: FakeDiscord) -> None:
    async with aiohttp.ClientSession() as http:
        url = f"{server.gateway_url}?v=10&encoding=json&compress=zstd-stream"
        async with http.ws_connect(url) as ws:
            hello = await ws.receive_json(timeout=2)  # no zstd module here: plain text frames
            assert hello["op"] == 10 and hello["d"]["heartbeat_interval"] > 0
            await ws.send_json({"op": 1, "d": None})
            assert (await ws.receive_json(timeout=2))["op"] == 11
            await ws.send_json({"op": 2, "d": {"token": "wrong", "intents": 0, "properties": {}}})
            closing = await ws.receive(timeout=2)
            assert closing.type == aiohttp.WSMsgType.CLOSE and closing.data == 4004
        async with http.ws_connect(f"{server.gateway_url}?v=10&encoding=json") as ws:
            await ws.receive_json(timeout=2)
            await ws.send_json({"op": 2, "d": {"token": server.token, "intents": 1 << 9}})
            ready = await ws.receive_json(timeout=2)
            assert (ready["t"], ready["s"]) == ("READY", 1)
            assert ready["d"]["resume_gateway_url"] == server.resume_gateway_url
            assert ready["d"]["guilds"][0]["unavailable"] is True
            guild = await ws.receive_json(timeout=2)
            assert (guild["t"], guild["s"]) == ("GUILD_CREATE", 2)
            assert [m["user"]["id"] for m in guild["d"]["members"]] == [str(server.bot_user.id)]


async def test_a_429_has_discords_headers_and_body(server: FakeDiscord) -> None:
    server.force_429("GET /users/@me", retry_after=1.5, scope="shared")
    async with aiohttp.ClientSession() as http:
        headers = {"Authorization": f"Bot {server.token}"}
        async with http.get(f"{server.rest_url}/users/@me", headers=headers) as response:
            assert response.status == 429
            assert await response.json() == {
                "message": "You are being rate limited.",
                "retry_after": 1.5,
                "global": False,
            }
            for header in ("X-RateLimit-Limit", "X-RateLimit-Reset", "X-RateLimit-Bucket"):
                assert header in response.headers
            assert response.headers["X-RateLimit-Remaining"] == "0"
            assert response.headers["X-RateLimit-Reset-After"] == "1.500"
            assert response.headers["Retry-After"] == "2"
            assert response.headers["X-RateLimit-Scope"] == "shared"
            assert response.headers["Via"]
        async with http.get(f"{server.rest_url}/users/@me", headers=headers) as response:
            assert response.status == 200
            assert int(response.headers["X-RateLimit-Remaining"]) > 0
    assert server.rate_limited == {"GET /users/@me": 1}
    assert server.requests == {"GET /users/@me": 2}


async def test_an_unknown_route_is_a_404_and_recorded(server: FakeDiscord, bot: MiniBot) -> None:
    route = discord.http.Route("GET", "/guilds/{guild_id}/bans", guild_id=bot.guilds[0].id)
    with pytest.raises(discord.NotFound) as caught:
        await bot.http.request(route)
    assert caught.value.text == "404: Not Found" and caught.value.code == 0
    assert server.unknown_routes == [f"GET /guilds/{bot.guilds[0].id}/bans"]


# --- slash commands -----------------------------------------------------------------------------


async def test_slash_command_options_arrive_typed_and_resolved(bot: MiniBot, d: Driver) -> None:
    reply = await d.slash(
        "Rhian Evans",
        "things echo",
        text="hi",
        times=2,
        loud=True,
        channel="announcements",
        role="Organiser",
        who="Dafydd Jones",
    )
    assert reply.content == (
        "HIHI channel=announcements role=Organiser who=Dafydd Jones by=Rhian Evans"
    )
    assert not reply.ephemeral
    assert reply.message is not None and reply.message.type == 20
    assert reply.message in d.messages("general")


async def test_the_driver_refuses_what_the_client_would(bot: MiniBot, d: Driver) -> None:
    with pytest.raises(DriverError, match="at most 5"):
        await d.slash("Rhian Evans", "things echo", text="hi", times=9)
    with pytest.raises(DriverError, match="required"):
        await d.slash("Rhian Evans", "things echo")
    with pytest.raises(DriverError, match="no option"):
        await d.slash("Rhian Evans", "things echo", text="hi", colour="red")


async def test_subcommand_group(bot: MiniBot, d: Driver) -> None:
    reply = await d.slash("Olwen Organiser", "things admin reset", counter=3, hard=True)
    assert reply.content == "reset 3 hard=True"
    assert reply.ephemeral


async def test_deferred_reply_then_followups(bot: MiniBot, d: Driver) -> None:
    reply = await d.slash("Rhian Evans", "things slow")
    assert reply.type == 5
    assert reply.content == "done slowly"
    assert reply.ephemeral  # the first follow-up keeps the defer's ephemerality
    followups = await reply.wait_followups(1)
    assert [m.content for m in followups] == ["and one more"]
    assert not followups[0].ephemeral
    assert [m.content for m in d.messages("general")] == ["and one more"]


async def test_a_file_in_a_followup_can_be_read_back(bot: MiniBot, d: Driver) -> None:
    reply = await d.slash("Rhian Evans", "things export")
    assert reply.files == {"rsvps.csv": b"name,rsvp\nRhian,yes\n"}
    assert reply.embed().title == "Export" and reply.embed().fields[0].value == "1"
    assert reply.text == "here you are\nExport\nRows: 1"
    assert reply.ephemeral


async def test_autocomplete_returns_the_bots_choices(bot: MiniBot, d: Driver) -> None:
    choices = await d.autocomplete("Rhian Evans", "things pick", "fruit", "ap")
    assert choices == [{"name": "Apple", "value": "apple"}, {"name": "Apricot", "value": "apricot"}]


async def test_button_press_updates_the_message(bot: MiniBot, d: Driver) -> None:
    panel = await d.slash("Rhian Evans", "things panel")
    assert [b["custom_id"] for b in panel.buttons()] == ["panel:hit", "panel:later", "panel:ask"]
    pressed = await d.click("Dafydd Jones", panel, "Hit me")
    assert pressed.type == 7
    assert panel.content == "hit by Dafydd Jones"


async def test_a_deferred_update_waits_for_the_edit(bot: MiniBot, d: Driver) -> None:
    panel = await d.slash("Rhian Evans", "things panel")
    pressed = await d.click("Dafydd Jones", panel, "panel:later")
    assert pressed.type == 6
    assert pressed.content == panel.content == "updated later"
    assert panel.components == []


async def test_modal_submit(bot: MiniBot, d: Driver) -> None:
    opened = await d.slash("Rhian Evans", "things form")
    assert opened.modal is not None and opened.modal["title"] == "Suggest a topic"
    reply = await d.submit_modal("Rhian Evans", {"topic": "Budget"})
    assert reply.content == "topic=Budget notes=none"
    assert reply.ephemeral


async def test_modal_opened_from_a_button(bot: MiniBot, d: Driver) -> None:
    panel = await d.slash("Rhian Evans", "things panel")
    await d.click("Dafydd Jones", panel.message, "panel:ask")
    reply = await d.submit_modal("Dafydd Jones", {"topic": "Rotas", "notes": "soon"})
    assert reply.content == "topic=Rotas notes=soon"


# --- reactions ----------------------------------------------------------------------------------


async def test_reactions_reach_the_bot_as_raw_events(
    server: FakeDiscord, bot: MiniBot, d: Driver
) -> None:
    post = await channel_of(bot, server, "general").send("RSVP here")
    await post.add_reaction("✅")
    message = d.message(post.id)
    await d.react("Rhian Evans", message, "✅")
    await d.unreact("Rhian Evans", message, "✅")
    assert bot.user is not None
    me = bot.user.id
    await d.wait_for(lambda: len([r for r in bot.raw if r[1].user_id != me]) == 2)
    (add_kind, added), (remove_kind, removed) = [r for r in bot.raw if r[1].user_id != me]
    rhian = d.member("Rhian Evans")
    assert (add_kind, added.user_id, str(added.emoji)) == ("add", rhian.id, "✅")
    assert added.member is not None and added.member.display_name == "Rhian Evans"
    assert added.type == discord.ReactionType.normal and added.burst is False
    assert added.message_author_id == bot.user.id  # type: ignore[union-attr]
    assert (remove_kind, removed.user_id, removed.member) == ("remove", rhian.id, None)
    assert message.reactors("✅") == [bot.user.id]  # type: ignore[union-attr]


async def test_before_answer_acts_after_the_work_and_before_the_answer(
    server: FakeDiscord, bot: MiniBot, d: Driver
) -> None:
    """A member reacts on a new message before the bot has heard back from its POST: the
    reaction event reaches the bot first; the hook ran once, then was removed."""
    seen: list[tuple[str, dict[str, str], int, int]] = []

    async def hook(answer: Any) -> None:
        server.before_answer(MESSAGES, None)
        message = server.messages[int(answer.body["id"])]
        seen.append((answer.route, answer.params, answer.status, len(bot.raw)))
        await d.react("Rhian Evans", message, "✅")
        await d.wait_for(lambda: len(bot.raw) == 1)

    server.before_answer(MESSAGES, hook)
    channel = channel_of(bot, server, "general")
    post = await channel.send("RSVP here")
    assert seen == [(MESSAGES, {"channel_id": str(channel.id)}, 200, 0)]
    [(kind, payload)] = bot.raw
    assert (kind, payload.message_id) == ("add", post.id)  # before send() returned
    await channel.send("and again")  # the hook is gone
    assert len(seen) == 1


async def test_reaction_users_are_paged_100_at_a_time(
    server: FakeDiscord, bot: MiniBot, d: Driver
) -> None:
    post = await channel_of(bot, server, "general").send("Who is coming?")
    reactors = []
    for number in range(130):
        member = server.add_member(d.guild, f"Member {number}")
        await d.react(member, post.id, "✅")
        reactors.append(member.id)
    fetched = await post.channel.fetch_message(post.id)
    assert fetched.reactions[0].count == 130
    users = [u.id async for u in fetched.reactions[0].users()]
    assert sorted(users) == sorted(reactors)
    assert (
        server.requests["GET /channels/{channel_id}/messages/{message_id}/reactions/{emoji}"] == 2
    )


# --- the gateway --------------------------------------------------------------------------------


async def test_a_dropped_connection_resumes_and_replays_missed_dispatches(
    server: FakeDiscord, bot: MiniBot, d: Driver
) -> None:
    post = await channel_of(bot, server, "general").send("RSVP here")
    async with d.gateway_down():
        await d.react("Rhian Evans", post.id, "👍")
        await d.react("Dafydd Jones", post.id, "👍")
        assert bot.raw == []
    await d.wait_for(lambda: len(bot.raw) == 2)
    assert [r[1].user_id for r in bot.raw] == [
        d.member("Rhian Evans").id,
        d.member("Dafydd Jones").id,
    ]
    assert (server.gateway.resumes, server.gateway.identifies) == (1, 1)
    assert server.gateway.connects == 2
    reply = await d.slash("Rhian Evans", "things echo", text="still here")
    assert reply.content.startswith("still here")


async def test_an_abrupt_drop_also_resumes(server: FakeDiscord, bot: MiniBot, d: Driver) -> None:
    await d.drop_gateway(abrupt=True)
    assert server.gateway.resumes == 1
    reply = await d.slash("Rhian Evans", "things echo", text="ok")
    assert reply.content.startswith("ok")


# --- Discord's rules ----------------------------------------------------------------------------


async def test_a_429_is_waited_out_and_the_message_still_posts(
    server: FakeDiscord, bot: MiniBot
) -> None:
    server.force_429(MESSAGES, retry_after=0.3)
    started = time.monotonic()
    await channel_of(bot, server, "general").send("after the wait")
    assert time.monotonic() - started >= 0.3
    assert server.rate_limited == {MESSAGES: 1}
    assert server.requests[MESSAGES] == 2
    assert [m.content for m in Driver(server).messages("general")] == ["after the wait"]


async def test_a_route_limit_is_respected_by_discord_py(server: FakeDiscord, bot: MiniBot) -> None:
    server.rate_limit(MESSAGES, limit=2, per=0.3)
    channel = channel_of(bot, server, "general")
    await asyncio.gather(*(channel.send(f"m{i}") for i in range(5)))
    assert len(Driver(server).messages("general")) == 5


async def test_a_5xx_is_retried(server: FakeDiscord, bot: MiniBot) -> None:
    server.fail_next(MESSAGES, status=502)
    await channel_of(bot, server, "general").send("eventually")
    assert server.requests[MESSAGES] == 2
    assert [m.content for m in Driver(server).messages("general")] == ["eventually"]


async def test_over_limit_embeds_are_refused_with_50035(server: FakeDiscord, bot: MiniBot) -> None:
    channel = channel_of(bot, server, "general")
    with pytest.raises(discord.HTTPException) as caught:
        await channel.send(embed=discord.Embed(description="x" * 4097))
    assert (caught.value.status, caught.value.code) == (400, 50035)
    assert "embeds.0.description" in caught.value.text
    big = [discord.Embed(title="t", description="y" * 1500) for _ in range(4)]
    with pytest.raises(discord.HTTPException, match="6000"):
        await channel.send(embeds=big)
    with pytest.raises(discord.HTTPException) as caught:
        await channel.send("z" * 2001)
    assert caught.value.code == 50035
    assert Driver(server).messages("general") == []


async def test_a_dm_to_a_member_with_closed_dms_is_403_50007(
    server: FakeDiscord, bot: MiniBot, d: Driver
) -> None:
    rhian, dafydd = d.member("Rhian Evans"), d.member("Dafydd Jones")
    dafydd.close_dms()
    await (await bot.fetch_user(rhian.id)).send("Reminder: AGM tonight")
    with pytest.raises(discord.Forbidden) as caught:
        await (await bot.fetch_user(dafydd.id)).send("Reminder: AGM tonight")
    assert caught.value.code == 50007
    assert [m.content for m in d.dms("Rhian Evans")] == ["Reminder: AGM tonight"]
    assert d.dms("Dafydd Jones") == []


async def test_an_answer_after_the_deadline_gets_10062(
    server: FakeDiscord, bot: MiniBot, d: Driver
) -> None:
    server.rules.interaction_deadline = 0.1
    with pytest.raises(DriverError, match="10062"):
        await d.slash("Rhian Evans", "things late", timeout=1.0)
    await d.wait_for(lambda: bot.errors)
    assert isinstance(bot.errors[0], discord.NotFound) and bot.errors[0].code == 10062


async def test_a_second_initial_response_gets_40060(
    server: FakeDiscord, bot: MiniBot, d: Driver
) -> None:
    reply = await d.slash("Rhian Evans", "things twice")
    assert reply.content == "first"
    await d.wait_for(lambda: bot.errors)
    assert bot.errors[0].code == 40060
    assert reply.interaction.rejected == [("callback", 400, 40060)]


async def test_a_repeated_nonce_returns_the_first_message(
    server: FakeDiscord, bot: MiniBot
) -> None:
    channel = channel_of(bot, server, "general")
    first = await channel.send("once", nonce=12345)
    again = await channel.send("once", nonce=12345)
    other = await channel.send("once", nonce=67890)
    assert first.id == again.id != other.id
    assert len(Driver(server).messages("general")) == 2


async def test_edits_of_old_messages_hit_30046_and_are_waited_out(
    server: FakeDiscord, bot: MiniBot
) -> None:
    server.rules.old_message_edits = (2, 0.4)
    post = await channel_of(bot, server, "general").send("v0")
    server.age_message(Driver(server).message(post.id), timedelta(hours=2))
    for version in range(1, 4):
        await post.edit(content=f"v{version}")
    route = "PATCH /channels/{channel_id}/messages/{message_id}"
    assert server.rate_limited == {route: 1}
    assert any(r.code == 30046 for r in server.request_log)
    assert Driver(server).message(post.id).content == "v3"


async def test_attachments_keep_name_and_bytes(server: FakeDiscord, bot: MiniBot) -> None:
    channel = channel_of(bot, server, "announcements")
    files = [
        discord.File(__import__("io").BytesIO(b"BEGIN:VCALENDAR\r\n"), "agm.ics"),
        discord.File(__import__("io").BytesIO(b'{"a": 1}'), "data.json"),
    ]
    sent = await channel.send("files", files=files)
    stored = Driver(server).message(sent.id)
    assert stored.files == {"agm.ics": b"BEGIN:VCALENDAR\r\n", "data.json": b'{"a": 1}'}
    assert await sent.attachments[0].read() == b"BEGIN:VCALENDAR\r\n"


async def test_scheduled_events(server: FakeDiscord, bot: MiniBot, d: Driver) -> None:
    guild = bot.guilds[0]
    start = discord.utils.utcnow() + timedelta(days=3)
    when: dict[str, Any] = {"start_time": start, "end_time": start + timedelta(hours=2)}
    # discord.py 2.7 infers EXTERNAL from `location` but then leaves entity_type (and, unless
    # given, privacy_level) out of the body; Discord requires both.
    with pytest.raises(discord.HTTPException) as caught:
        await guild.create_scheduled_event(name="AGM", location="Cardiff", **when)
    assert caught.value.code == 50035 and "entity_type" in caught.value.text
    event = await guild.create_scheduled_event(
        name="AGM",
        location="Cardiff",
        entity_type=discord.EntityType.external,
        privacy_level=discord.PrivacyLevel.guild_only,
        **when,
    )
    stored = d.guild.events[event.id]
    assert (stored.name, stored.location, stored.entity_type) == ("AGM", "Cardiff", 3)
    await event.edit(name="AGM 2026")
    assert stored.name == "AGM 2026"
    for name in ("Rhian Evans", "Dafydd Jones"):
        server.set_interested(stored, d.member(name))
    fetched = await guild.fetch_scheduled_event(event.id, with_counts=True)
    assert fetched.user_count == 2
    interested = {u.id async for u in fetched.users()}
    assert interested == {d.member("Rhian Evans").id, d.member("Dafydd Jones").id}
    with pytest.raises(discord.HTTPException) as caught:
        await event.edit(status=discord.EventStatus.completed)
    assert caught.value.code == 50035
    await event.delete()
    assert stored.deleted
    await d.wait_for(lambda: guild.get_scheduled_event(event.id) is None)


# --- more of the interaction lifecycle ----------------------------------------------------------


async def test_original_response_edit_read_and_delete(bot: MiniBot, d: Driver) -> None:
    reply = await d.slash("Rhian Evans", "things lifecycle")
    await d.wait_for(lambda: reply.message is not None and reply.message.deleted)
    assert bot.seen == ["v2"]
    assert reply.message is not None and reply.message.content == "v2"
    assert reply.message.history == [("v1", [])]
    assert d.messages("general") == []


async def test_string_select(bot: MiniBot, d: Driver) -> None:
    prompt = await d.slash("Rhian Evans", "things colour")
    assert prompt.message is not None
    chosen = await d.select("Dafydd Jones", prompt.message, "colour", ["green"])
    assert chosen.content == "chose ['green']" and chosen.ephemeral


async def test_followups_stop_when_the_token_expires(
    server: FakeDiscord, bot: MiniBot, d: Driver
) -> None:
    reply = await d.slash("Rhian Evans", "things echo", text="hi")
    server.rules.interaction_token_ttl = 0.0
    with pytest.raises(discord.HTTPException) as caught:
        await bot.http.request(discord.http.Route("GET", "/users/@me"))  # still fine
        webhook = discord.Webhook.partial(
            server.application_id, reply.interaction.token, client=bot
        )
        await webhook.send("too late", wait=True)
    assert (caught.value.status, caught.value.code) == (401, 50027)


async def test_members_messages_reach_the_bot_without_content(
    server: FakeDiscord, bot: MiniBot, d: Driver
) -> None:
    await d.say("Rhian Evans", "general", "hello everyone")
    await d.say("Rhian Evans", "general", f"hey <@{bot.user.id}>")  # type: ignore[union-attr]
    await d.wait_for(lambda: len(bot.messages) == 2)
    assert [m.content for m in bot.messages] == ["", f"hey <@{bot.user.id}>"]  # type: ignore[union-attr]


async def test_the_bot_needs_permission_to_post(
    server: FakeDiscord, bot: MiniBot, d: Driver
) -> None:
    from tests.fakediscord.models import Overwrite

    locked = d.channel("announcements")
    send = discord.Permissions(send_messages=True).value
    locked.overwrites.append(Overwrite(d.guild.id, 0, deny=send))
    with pytest.raises(discord.Forbidden) as caught:
        await channel_of(bot, server, "announcements").send("hello")
    assert caught.value.code == 50013


async def test_heartbeats_are_acknowledged(server: FakeDiscord, bot: MiniBot, d: Driver) -> None:
    connection = next(iter(server.gateway.connections))
    await d.wait_for(lambda: connection.heartbeats >= 1)
    assert bot.latency < 1.0


async def test_an_expired_session_is_invalidated_and_the_bot_identifies_again(
    server: FakeDiscord, bot: MiniBot, d: Driver
) -> None:
    server.gateway.resume_window = 0.0

    async def no_pause(shard_id: int | None, *, initial: bool = False) -> None:
        pass  # discord.py waits 5 s before a non-initial IDENTIFY; not needed here

    bot.before_identify_hook = no_pause  # type: ignore[method-assign]
    await d.drop_gateway()
    assert server.gateway.invalid_sessions == 1
    assert server.gateway.identifies == 2
    reply = await d.slash("Rhian Evans", "things echo", text="back")
    assert reply.content.startswith("back")


async def test_privileged_intents_must_be_enabled(server: FakeDiscord) -> None:
    guild = next(iter(server.guilds.values()))
    greedy = MiniBot(guild.id)
    greedy._connection._intents = discord.Intents.all()
    with pytest.raises(discord.PrivilegedIntentsRequired):
        async with running_bot(server, greedy):
            pass


async def test_history_pages_like_discord(server: FakeDiscord, bot: MiniBot, d: Driver) -> None:
    general = d.channel("general")
    posted = [
        server.post_message(general, server.bot_user, {"content": f"m{i}"}) for i in range(120)
    ]
    channel = channel_of(bot, server, "general")
    newest_first = [m.content async for m in channel.history(limit=None)]
    assert newest_first == [f"m{i}" for i in reversed(range(120))]
    after = [m.content async for m in channel.history(limit=5, after=discord.Object(posted[9].id))]
    assert after == ["m10", "m11", "m12", "m13", "m14"]
    before = [
        m.content async for m in channel.history(limit=3, before=discord.Object(posted[9].id))
    ]
    assert before == ["m8", "m7", "m6"]
    around = [
        m.content async for m in channel.history(limit=4, around=discord.Object(posted[50].id))
    ]
    assert sorted(around) == ["m48", "m49", "m50", "m51"]
    assert (await channel.fetch_message(posted[3].id)).content == "m3"


async def test_allowed_mentions_decide_who_is_pinged(
    server: FakeDiscord, bot: MiniBot, d: Driver
) -> None:
    rhian = d.member("Rhian Evans")
    channel = channel_of(bot, server, "general")
    quiet = await channel.send(f"<@{rhian.id}> and @everyone")  # the bot's default: none
    loud = await channel.send(
        f"<@{rhian.id}> and @everyone", allowed_mentions=discord.AllowedMentions(users=True)
    )
    assert d.message(quiet.id).mentions() == {"users": [], "roles": [], "everyone": False}
    assert d.message(loud.id).mentions() == {"users": [rhian.id], "roles": [], "everyone": False}
