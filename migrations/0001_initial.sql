-- 0001: the first schema: per-server settings, events, and the bot's own bookkeeping.

CREATE TABLE guild_settings (
    guild_id INTEGER PRIMARY KEY,
    announcements_channel_id INTEGER,
    organiser_role_id INTEGER,
    ping_role_id INTEGER,
    tz TEXT NOT NULL DEFAULT 'Europe/London',
    reminder_offsets TEXT NOT NULL DEFAULT '7d,1d,1h',
    digest_enabled INTEGER NOT NULL DEFAULT 1 CHECK (digest_enabled IN (0, 1)),
    digest_day TEXT NOT NULL DEFAULT 'monday',
    digest_time TEXT NOT NULL DEFAULT '09:00',
    updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    guild_id INTEGER NOT NULL,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    place TEXT,
    host TEXT,
    region TEXT,
    kind TEXT NOT NULL DEFAULT 'meeting',
    description TEXT,
    channel_id INTEGER NOT NULL,
    message_id INTEGER,
    status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    cancel_reason TEXT,
    created_by INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    cancelled_at INTEGER,
    CHECK (ends_at > starts_at)
) STRICT;

CREATE INDEX events_by_guild_start ON events (guild_id, starts_at);
CREATE UNIQUE INDEX events_by_message ON events (message_id) WHERE message_id IS NOT NULL;

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
