-- 0004: reminders before events (automatic and personal), delivered once; members' reminder DM choice; digest bookkeeping.

ALTER TABLE events ADD COLUMN reminder_offsets TEXT;

ALTER TABLE guild_settings ADD COLUMN last_digest_at INTEGER;

CREATE TABLE reminders (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id INTEGER,
    offset_s INTEGER NOT NULL CHECK (offset_s > 0),
    due_at INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'claimed', 'sent', 'skipped', 'failed', 'cancelled')),
    claimed_at INTEGER,
    done_at INTEGER,
    created_at INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX reminders_one_live
    ON reminders (event_id, coalesce(user_id, 0), offset_s)
    WHERE status IN ('pending', 'claimed');
CREATE INDEX reminders_by_status_due ON reminders (status, due_at);
CREATE INDEX reminders_by_user ON reminders (user_id) WHERE user_id IS NOT NULL;

CREATE TABLE reminder_deliveries (
    reminder_id INTEGER NOT NULL REFERENCES reminders (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('sent', 'dm_closed')),
    at INTEGER NOT NULL,
    PRIMARY KEY (reminder_id, user_id)
) STRICT;

CREATE TABLE member_settings (
    guild_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    reminder_dms INTEGER NOT NULL DEFAULT 1 CHECK (reminder_dms IN (0, 1)),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
) STRICT;
