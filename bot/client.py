"""The Bot: receives Settings and a Clock; setup_hook opens and migrates the database,
starts the scheduler, wires the services, loads the cogs and syncs commands if they changed."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import socket
import sqlite3

import discord
from discord.ext import commands

from bot.adapters.commands import bilingual_commands
from bot.adapters.errors import Tree, answer_error
from bot.adapters.gate import RateGate
from bot.adapters.letter_posts import DiscordLetterPoster
from bot.adapters.notify import DiscordNotifier
from bot.adapters.poll_posts import DiscordPollPoster
from bot.adapters.posts import DiscordAnnouncer, DiscordMirror
from bot.clock import Clock, Monotonic, loop_time, system_clock
from bot.composition import Ports, Services, build_services
from bot.config import Settings
from bot.db import Database
from bot.domain.guilds import GuildSettings
from bot.domain.ratelimit import RateLimits
from bot.runtime.post_updater import Pacing, PostUpdater
from bot.runtime.rsvp_workers import ReactionWorkers
from bot.runtime.scheduling import SchedulerJobs
from bot.services.attendance import AttendanceService
from bot.services.events import EventService
from bot.services.guilds import GuildService
from bot.services.languages import LanguageService
from bot.services.letters import CELEBRATION_KIND, LetterService
from bot.services.network import NetworkService
from bot.services.organisations import OrganisationService
from bot.services.polls import PollService
from bot.services.privacy import PrivacyService
from bot.services.reminders import ReminderService
from bot.services.retention import RetentionService
from bot.services.rsvps import RsvpService
from bot.services.series import SeriesService
from bot.services.welcome import WelcomeService
from bot.stores.meta import MetaStore
from bot.web.app import WebContext, make_app
from bot.web.health import Health
from bot.web.server import WebServer, bind_socket

log = logging.getLogger(__name__)

POSTS_IN_STEP = "posts_in_step"  # meta key: "1" after a clean stop, "0" while running
EXTENSIONS = (
    "cogs.setup",
    "cogs.events",
    "cogs.rsvp",
    "cogs.reminders",
    "cogs.letters",
    "cogs.polls",
    "cogs.network",
    "cogs.privacy",
    "cogs.help",
    "cogs.welcome",
    "cogs.language",
)


class Bot(commands.Bot):
    db: Database
    jobs: SchedulerJobs
    post_updater: PostUpdater
    celebrations: PostUpdater
    notifier: DiscordNotifier
    services: Services
    rsvp_workers: ReactionWorkers
    # The services under the names the cogs use (from `services`).
    guild_service: GuildService
    series_service: SeriesService
    event_service: EventService
    rsvp_service: RsvpService
    reminder_service: ReminderService
    letter_service: LetterService
    poll_service: PollService
    network_service: NetworkService
    organisation_service: OrganisationService
    welcome_service: WelcomeService
    privacy_service: PrivacyService
    retention_service: RetentionService
    attendance_service: AttendanceService
    language_service: LanguageService

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        pacing: Pacing | None = None,
        rate_limits: RateLimits | None = None,
        rate_now: Monotonic | None = None,
        force_sync: bool = False,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=Tree,
            help_command=None,
        )
        self.settings = settings
        self.clock: Clock = clock or system_clock
        self.pacing = pacing or Pacing()
        self.force_sync = force_sync
        # Every command, button and form a member sends passes here first (bot/adapters/gate.py);
        # `rate_now` (monotonic seconds, the event loop's by default) is for tests.
        self.rate_gate = RateGate(
            rate_limits or RateLimits(),
            settings_of=lambda guild_id: self.guild_service.settings(guild_id),
            refuse=answer_error,
            now=rate_now or loop_time,
        )
        self._opened: Database | None = None
        self._scheduler: SchedulerJobs | None = None
        self._closing: asyncio.Future[None] | None = None
        self.web: WebServer | None = None  # the web server, when WEB_PORT is set
        self._web_socket: socket.socket | None = None

    async def setup_hook(self) -> None:
        if self.settings.web_port is not None:  # first: a port in use stops the start here
            self._web_socket = bind_socket(self.settings.web_host, self.settings.web_port)
        self.db = self._opened = await Database.open(self.settings.database_path)
        applied = await self.db.migrate()
        if applied:
            log.info("database ready at %s (applied %s)", self.settings.database_path, applied)
        self.jobs = self._scheduler = SchedulerJobs()
        self.jobs.start()
        self._expose(build_services(self.db, self.clock, self._ports()))
        self.rsvp_workers = ReactionWorkers(
            self, self.rsvp_service, self.notifier, self.event_service.open_posts
        )
        await self._catch_up()
        self.rsvp_workers.start()
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        bilingual_commands(self.tree)  # "Cymraeg · English" descriptions, before syncing
        await self.sync_commands()
        await self._start_web()

    async def _start_web(self) -> None:
        """Serve the web on the socket bound at the start of setup_hook (WEB_PORT set)."""
        sock, self._web_socket = self._web_socket, None
        if sock is None:
            return
        context = WebContext(
            clock=self.clock,
            public_url=self.settings.public_base,
            health=self.health,
            feeds=self.services.feeds,
            letters=self.letter_service,
        )
        self.web = WebServer(make_app(context), sock)
        await self.web.start()

    async def health(self) -> Health:
        """For /healthz: the gateway connected and ready, a database query answered, the
        scheduler running, and how many timed jobs wait."""
        gateway = bool(
            self.is_ready() and not self.is_closed() and self.ws is not None and self.ws.open
        )
        scheduler = self._scheduler
        return Health(
            gateway=gateway,
            database=await self._database_answers(),
            scheduler=scheduler is not None and scheduler.running,
            jobs_pending=len(scheduler.pending()) if scheduler is not None else 0,
        )

    async def _database_answers(self) -> bool:
        if self._opened is None:
            return False
        try:
            async with asyncio.timeout(2.0), self._opened.reading():
                await MetaStore(self._opened).get(POSTS_IN_STEP)
        except Exception as exc:  # locked for long, closed, broken: all unhealthy
            log.warning("health: the database did not answer: %s", exc)
            return False
        return True

    def _ports(self) -> Ports:
        """The Discord side of the services' ports, and the paced workers behind posts."""
        pacing = self.pacing
        self.post_updater = self._paced(pacing.edit_gap_s, pacing.old_edit_gap_s)
        # Milestone celebrations are new messages, limited per channel apart from edits: a
        # paced worker of their own (sharing the post updater's queue put a celebration's gap
        # before the post's last edit). Creating is never the 30046 limit on old posts' edits.
        self.celebrations = self._paced(pacing.celebration_gap_s, pacing.celebration_gap_s)
        self.notifier = DiscordNotifier(self)
        # Public posts are written in the server's language mode and zone (its settings).
        settings_of = self._settings_of
        announcer = DiscordAnnouncer(self, settings_of, clock=self.clock)
        return Ports(
            jobs=self.jobs,
            posts=self.post_updater,
            celebrations=self.celebrations,
            notifier=self.notifier,
            announcer=announcer,
            reminder_poster=announcer,
            mirror=DiscordMirror(self, settings_of),
            letter_poster=DiscordLetterPoster(
                self, public_url=self._letter_links(), settings_of=settings_of
            ),
            poll_poster=DiscordPollPoster(self, settings_of),
        )

    async def _settings_of(self, guild_id: int) -> GuildSettings:
        """A server's settings, once the services are built (posts are made after that)."""
        return await self.guild_service.settings(guild_id)

    def _letter_links(self) -> str | None:
        """The base of letters' page links on their posts; None while the web is off."""
        return self.settings.public_base if self.settings.web_enabled else None

    def _expose(self, services: Services) -> None:
        """Keep the services, and register the refreshers the paced workers call."""
        self.services = services
        self.guild_service = services.guilds
        self.series_service = services.series
        self.rsvp_service = services.rsvps
        self.reminder_service = services.reminders
        self.event_service = services.events
        self.letter_service = services.letters
        self.poll_service = services.polls
        self.network_service = services.network
        self.organisation_service = services.organisations
        self.welcome_service = services.welcome
        self.privacy_service = services.privacy
        self.retention_service = services.retention
        self.attendance_service = services.attendance
        self.language_service = services.languages
        self.notifier.voice_of = services.languages.voice
        self.post_updater.register("event", services.events.refresh_post)
        self.post_updater.register("letter", services.letters.refresh_post)
        self.post_updater.register("poll", services.polls.refresh_post)
        self.celebrations.register(CELEBRATION_KIND, services.letters.celebrate_due)

    async def _catch_up(self) -> None:
        """Put right what the last stop may have left undone, then plan what is timed."""
        await self.event_service.sweep_unposted()  # before reminders are rebuilt
        await self.letter_service.sweep_unposted()  # before closings are planned
        await self.poll_service.sweep_unposted()
        if await self._mark_posts_in_step("0") == "0":
            await self.bring_posts_up_to_date()
        await self.letter_service.plan_closings()
        await self.poll_service.plan_closings()
        await self.attendance_service.plan_all()  # the posts' "I was there" buttons
        await self.reminder_service.rebuild()
        await self.reminder_service.rebuild_digests()
        await self.retention_service.erase_expired()  # once at start, then daily
        self.retention_service.plan()

    def _paced(self, gap_s: float, old_gap_s: float) -> PostUpdater:
        """A paced worker on the bot's clocks (`pacing.now`, `pacing.sleep`)."""
        return PostUpdater(
            self.clock,
            gap_s=gap_s,
            old_gap_s=old_gap_s,
            now=self.pacing.now,
            sleep=self.pacing.sleep,
        )

    async def _mark_posts_in_step(self, value: str) -> str | None:
        """Record whether every post shows what the database holds ("1" only when the bot
        stopped cleanly with no edit pending); returns what was recorded before."""
        meta = MetaStore(self.db)
        try:
            async with self.db.transaction():
                before = await meta.get(POSTS_IN_STEP)
                await meta.put(POSTS_IN_STEP, value)
        except sqlite3.Error as exc:  # e.g. locked by another writer while stopping
            log.warning("could not record whether posts are up to date: %s", exc)
            return None
        return before

    async def bring_posts_up_to_date(self) -> None:
        """After a stop that may have lost post edits (a kill, a crash, edits still pending):
        re-render every post that can still change, paced like any other edit."""
        events, letters, polls = await self.redraw_posts()
        log.warning(
            "the last run did not stop cleanly: bringing %d event and %d letter posts up to date",
            events,
            letters,
        )
        if polls:
            log.warning("bringing %d date poll posts up to date too", polls)

    async def redraw_posts(self, guild_id: int | None = None) -> tuple[int, int, int]:
        """Ask for every post that can still change (of one server, or of all) to be
        re-rendered, paced like any other edit: after an unclean stop, and when a server's
        language or zone changes what its posts say. How many event, letter and poll posts."""
        events = [
            e for e in await self.event_service.recent_posts() if guild_id in (None, e.guild_id)
        ]
        letters = [
            x for x in await self.letter_service.recent_posts() if guild_id in (None, x.guild_id)
        ]
        polls = [
            p for p in await self.poll_service.recent_posts() if guild_id in (None, p.guild_id)
        ]
        for event in events:
            self.post_updater.touch("event", event.id, event.channel_id, event.message_id)
        for letter in letters:
            self.post_updater.touch("letter", letter.id, letter.channel_id, letter.message_id)
        for poll in polls:
            self.post_updater.touch("poll", poll.id, poll.channel_id, poll.message_id)
        return len(events), len(letters), len(polls)

    def command_fingerprint(self) -> str:
        payload = [command.to_dict(self.tree) for command in self.tree.get_commands()]
        encoded = json.dumps(sorted(payload, key=lambda c: c["name"]), sort_keys=True)
        return hashlib.sha256(encoded.encode()).hexdigest()

    async def sync_commands(self) -> None:
        """Sync the command tree when it changed since the last sync (or when forced)."""
        guild_id = self.settings.guild_id
        key = f"command_sync:{guild_id or 'global'}"
        fingerprint = self.command_fingerprint()
        meta = MetaStore(self.db)
        async with self.db.reading():
            last = await meta.get(key)
        if last == fingerprint and not self.force_sync:
            log.info("commands unchanged since the last sync; not syncing")
            return
        if guild_id:
            guild = discord.Object(guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
        else:
            synced = await self.tree.sync()
        async with self.db.transaction():
            await meta.put(key, fingerprint)
        log.info(
            "synced %d commands to %s",
            len(synced),
            f"server {guild_id}" if guild_id else "all servers",
        )

    async def on_ready(self) -> None:
        log.info("connected as %s to %d server(s)", self.user, len(self.guilds))

    async def close(self) -> None:
        """Stop cleanly, once: every caller waits for the whole of it (a signal handler, the
        `async with` exit and run() may all ask), so the database is closed before exit."""
        if self._closing is None:
            self._closing = asyncio.ensure_future(self._close_everything())
        await asyncio.shield(self._closing)

    async def _close_everything(self) -> None:
        in_step = False
        if self.web is not None:  # first: no request reads a database being closed
            await self.web.stop()
            self.web = None
        if self._web_socket is not None:  # bound, but the start stopped before serving
            self._web_socket.close()
            self._web_socket = None
        if hasattr(self, "post_updater"):
            in_step = await self.post_updater.close()
        if hasattr(self, "celebrations"):
            await self.celebrations.close()  # posts what is due if it can, quickly
        if hasattr(self, "rsvp_workers"):
            self.rsvp_workers.stop()
        if self._scheduler is not None:
            self._scheduler.shutdown()
            self._scheduler = None
        await super().close()
        if self._opened is not None:
            if in_step:
                await self._mark_posts_in_step("1")
            await self._opened.close()  # waits for a unit of work under way to finish
            self._opened = None
