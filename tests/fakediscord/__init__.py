"""A local Discord for end-to-end tests: the real, unmodified discord.py client talks to it over
HTTP (REST v10 on aiohttp) and a websocket gateway, on a free loopback port. Test support only.

Quick start::

    async with FakeDiscord() as server:
        guild = server.create_guild("Co-pro Network Wales")
        server.add_channel(guild, "general")
        organiser = server.add_role(guild, "Organiser", permissions=Permissions(manage_events=True))
        server.add_member(guild, "Rhian Evans", roles=[organiser])
        async with running_bot(server, MyBot()) as bot:        # in this process
            d = Driver(server, guild)
            reply = await d.slash("Rhian Evans", "events create", title="AGM", when="3 Dec 6pm")

or in its own process: `BotProcess(server, env={...}).start()` runs
`python -m tests.fakediscord.launch REST_URL GATEWAY_URL` (see launch.py, process.py).

Modules: server (FakeDiscord: state, builders, rules), rest (routes), gateway (sessions),
driver (Driver, Reply), runner (point_discord_at, running_bot), launch / process (the bot in
its own process), models (the state's dataclasses), limits (limits, rate limits, counters),
clock (FakeClock), example_bot (a tiny bot for the process self-tests).

Pointing discord.py at it: `discord.http.Route.BASE` (REST, interaction callbacks and
webhooks alike) and `discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`: a plain Client never
calls GET /gateway/bot, it connects straight to DEFAULT_GATEWAY (and returns there after an
INVALID_SESSION). READY's `resume_gateway_url` points at the stand-in for RESUMEs.

What it enforces (as Discord does):

* bot token on every REST route except interaction/webhook-token ones (401), and on IDENTIFY
  (close 4004); privileged intents only if `privileged_intents` enables them (close 4014);
  GET /guilds/{id}/members needs GUILD_MEMBERS enabled (403 / 50001);
* 400 / 50035 with a nested `errors` body for: content > 2000; > 10 embeds; embed title 256,
  description 4096, > 25 fields, field name 256 / value 1024 (both required), footer 2048,
  author 256, 6000 in total across a message's embeds; > 5 action rows or > 5 items a row,
  custom_id > 100, duplicate custom_ids, button label > 80; modal title > 45, > 5 rows;
  > 25 autocomplete choices, choice name/value > 100; invalid callback type for the
  interaction; scheduled events: name 1-100, description 1000, entity_type and
  privacy_level (2) required, EXTERNAL needs a null channel, a location (1-100) and an end
  after the start; status moves only SCHEDULED→ACTIVE→COMPLETED or SCHEDULED→CANCELED, a
  finished event can't be edited (180000); 50006 for an empty message;
* interactions: first callback within `rules.interaction_deadline` (3 s) else 404 / 10062;
  a second initial response 400 / 40060; follow-ups only after a response (else 10015) and
  within `rules.interaction_token_ttl` (15 min, then 401 / 50027); after a type-5 defer the
  first follow-up fills the "thinking" message and keeps the defer's ephemerality; for
  component interactions a type-6/7 answer makes the clicked message the @original;
* 403 / 50007 for a DM to a user whose DMs are closed (`member.close_dms()`), a bot, or one
  sharing no guild; 403 / 50013 (or 50001 without VIEW_CHANNEL) when the bot lacks
  SEND_MESSAGES, READ_MESSAGE_HISTORY, ADD_REACTIONS (first reaction of an emoji),
  MANAGE_MESSAGES (others' reactions or messages), MANAGE_ROLES, MANAGE_CHANNELS,
  CREATE/MANAGE_EVENTS, with channel overwrites applied; 403 / 50005 editing others' messages;
  10008 fetching an ephemeral or deleted message;
* rate limits: every response carries X-RateLimit-Limit/Remaining/Reset/Reset-After/Bucket;
  `server.rate_limit(route, limit=, per=)` sets a per-route, per-major-parameter bucket; a
  429 carries Retry-After, X-RateLimit-Scope, Via and {message, retry_after, global};
  `server.force_429(route, ...)` and `server.fail_next(route, status=500|502, times=N)` script
  answers; `server.before_answer(route, hook)` runs a (sync or async) hook after a request
  is carried out and before its answer goes back (a message exists, its id not yet
  returned), so a test can act in that gap; edits of messages older than `rules.old_message_age` (1 h; `server.age_message`,
  or advance the shared clock) are limited to `rules.old_message_edits` (3 per 20 s per
  channel) → 429 / 30046; counters: `server.requests` and `server.rate_limited` by
  'METHOD /route/{template}', `server.request_log`, `server.unknown_routes` (404, code 0);
* `enforce_nonce`: the same nonce in a channel within `rules.nonce_window` (5 min) returns the
  first message instead of posting again;
* gateway: intents filter dispatches (GUILD_MESSAGES, DIRECT_MESSAGES, reactions, scheduled
  events, GUILD_MEMBERS); without MESSAGE_CONTENT, others' guild messages arrive blank unless
  they mention the bot; GUILD_CREATE lists only the bot's member without GUILD_MEMBERS;
  RESUME replays missed dispatches then sends RESUMED; an unknown or expired session
  (`gateway.resume_window`, 120 s) gets INVALID_SESSION; zlib-stream compression (zstd-stream
  only if a zstd module is importable, else plain text frames, which discord.py reads too).

Where it is knowingly lenient:

* no global 50 req/s limit, no Cloudflare invalid-request ban, no 5/5 s message limit unless
  a test sets one: the default bucket is 10 000 per second;
* the bot is not checked for USE_EXTERNAL_EMOJIS, EMBED_LINKS, ATTACH_FILES or
  MENTION_EVERYONE; `allowed_mentions` is stored (`message.mentions()` tells who would be
  pinged) but `mentions` in payloads is always empty; unicode emoji are accepted if they
  contain a non-ASCII character, custom emoji `name:id` are not checked against the guild;
* reactions are all "normal" (no burst/super reactions); GET reactions lists by ascending
  user id; no threads, stickers, polls, voice, webhooks other than interaction tokens, audit
  log reasons (accepted, ignored), application-command permissions or localisation checks;
* interaction messages: type 20 for the original response to a slash command, 0 otherwise;
  ephemeral messages are kept (tests can read them) but hidden from REST and the gateway;
  the driver refuses option values the Discord client would block (type, choices,
  min/max, required) but option payloads themselves are trusted;
* message timestamps, snowflakes, message age and interaction-token lifetimes follow `clock`
  (the real UTC time unless given); the 3 s deadline, nonces and rate-limit windows use the
  monotonic clock;
  past scheduled-event start times are accepted unless `rules.reject_past_scheduled_events`.
"""

from .clock import FakeClock
from .driver import Driver, DriverError, Reply
from .runner import discord_pointed_at, point_discord_at, running_bot
from .server import FakeDiscord

__all__ = [
    "Driver",
    "DriverError",
    "FakeClock",
    "FakeDiscord",
    "Reply",
    "discord_pointed_at",
    "point_discord_at",
    "running_bot",
]
