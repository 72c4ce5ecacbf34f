"""The services, built once over their ports: what the Bot's setup_hook wires together.

Everything Discord-facing or clock-driven comes in as a port (bot/services/ports.py), so the
same call builds the services over the real adapters in the bot and over fakes elsewhere."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.db import Database
from bot.services.attendance import AttendanceService
from bot.services.events import EventService
from bot.services.feeds import FeedService
from bot.services.guilds import GuildService
from bot.services.languages import LanguageService
from bot.services.letters import LetterService
from bot.services.network import NetworkService
from bot.services.organisations import OrganisationService
from bot.services.polls import PollService
from bot.services.ports import (
    Announcer,
    Jobs,
    LetterPoster,
    NativeMirror,
    Notifier,
    PollPoster,
    PostTouch,
    ReminderPoster,
)
from bot.services.privacy import PrivacyService
from bot.services.reminders import ReminderService
from bot.services.retention import RetentionService
from bot.services.rsvps import RsvpService
from bot.services.series import SeriesService
from bot.services.welcome import WelcomeService


@dataclass(frozen=True)
class Ports:
    """Where the services reach out: Discord, the timed jobs, the paced post workers."""

    jobs: Jobs
    posts: PostTouch  # edits of event and letter posts
    celebrations: PostTouch  # letters' milestone messages, paced apart from edits
    notifier: Notifier
    announcer: Announcer  # event posts
    reminder_poster: ReminderPoster  # reminders' and digests' channel posts
    mirror: NativeMirror
    letter_poster: LetterPoster
    poll_poster: PollPoster


@dataclass(frozen=True)
class Services:
    guilds: GuildService
    series: SeriesService
    rsvps: RsvpService
    reminders: ReminderService
    events: EventService
    letters: LetterService
    network: NetworkService
    privacy: PrivacyService
    retention: RetentionService
    feeds: FeedService
    polls: PollService
    attendance: AttendanceService
    organisations: OrganisationService
    welcome: WelcomeService
    languages: LanguageService


def build_services(db: Database, clock: Clock, ports: Ports) -> Services:
    reminders = ReminderService(db, clock, ports.jobs, ports.notifier, ports.reminder_poster)
    guilds = GuildService(db, clock, reminders)
    series = SeriesService(db, clock, guilds)
    rsvps = RsvpService(db, clock, guilds, ports.posts)
    attendance = AttendanceService(db, clock, guilds, ports.posts, ports.jobs)
    events = EventService(
        db,
        clock,
        guilds,
        series,
        ports.announcer,
        rsvps,
        reminders,
        ports.mirror,
        attendance=attendance,
    )
    return Services(
        guilds=guilds,
        series=series,
        rsvps=rsvps,
        reminders=reminders,
        events=events,
        letters=LetterService(
            db,
            clock,
            guilds,
            ports.letter_poster,
            ports.posts,
            ports.jobs,
            celebrations=ports.celebrations,
        ),
        network=NetworkService(db, clock),
        privacy=PrivacyService(db, clock, ports.posts, reminders),
        retention=RetentionService(db, clock, ports.jobs),
        feeds=FeedService(db, clock, guilds),
        polls=PollService(
            db,
            clock,
            guilds,
            series,
            events,
            ports.poll_poster,
            ports.posts,
            ports.jobs,
            ports.notifier,
        ),
        languages=LanguageService(db, clock),
        organisations=OrganisationService(db, clock, guilds, ports.posts),
        welcome=WelcomeService(db, clock, guilds),
        attendance=attendance,
    )
