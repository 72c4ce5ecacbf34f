-- 0018: date polls. A poll offers 2 to 10 start times (its options); members press the ones they can make, one row per member and option in poll_answers. A poll is saved before its post goes out (its buttons need the id): `posted` = 0 marks a row whose post is not out yet, swept at start as letters are (0012). Closing records the winning option (most answers, a tie to the earliest); announcing it records the event in the same transaction that saves the event, so the winner is announced once however often the button is pressed (the event's removal, e.g. a post that failed, frees it again). Answers erased after the server's retention (polls closed that long ago) are kept as counts: `erased` per option, `erased_members` per poll.

CREATE TABLE polls (
    id INTEGER PRIMARY KEY,
    guild_id INTEGER NOT NULL,
    channel_id INTEGER NOT NULL,
    message_id INTEGER,
    posted INTEGER NOT NULL DEFAULT 0 CHECK (posted IN (0, 1)),
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    series_id INTEGER REFERENCES series (id) ON DELETE SET NULL,
    closes_at INTEGER,
    closed_at INTEGER,
    winner_position INTEGER CHECK (winner_position IS NULL OR closed_at IS NOT NULL),
    announced_event_id INTEGER REFERENCES events (id) ON DELETE SET NULL,
    erased_members INTEGER NOT NULL DEFAULT 0 CHECK (erased_members >= 0),
    created_by INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE INDEX polls_by_guild ON polls (guild_id, created_at);
CREATE UNIQUE INDEX polls_by_message ON polls (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX polls_closing ON polls (closes_at) WHERE closed_at IS NULL AND closes_at IS NOT NULL;
CREATE INDEX polls_unposted ON polls (id) WHERE posted = 0;

CREATE TABLE poll_options (
    poll_id INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position BETWEEN 1 AND 10),
    starts_at INTEGER NOT NULL,
    erased INTEGER NOT NULL DEFAULT 0 CHECK (erased >= 0),
    PRIMARY KEY (poll_id, position),
    UNIQUE (poll_id, starts_at)
) STRICT;

CREATE TABLE poll_answers (
    poll_id INTEGER NOT NULL,
    position INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    answered_at INTEGER NOT NULL,
    PRIMARY KEY (poll_id, position, user_id),
    FOREIGN KEY (poll_id, position) REFERENCES poll_options (poll_id, position) ON DELETE CASCADE
) STRICT;

CREATE INDEX poll_answers_by_user ON poll_answers (user_id);
CREATE INDEX poll_answers_by_member ON poll_answers (poll_id, user_id);
