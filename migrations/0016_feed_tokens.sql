-- 0016: calendar feed tokens. A member's /events subscribe hands out a feed URL carrying a
-- random token; only its SHA-256 (hex) is kept, so the database never holds a working URL.
-- `mine` = 1: the member's own feed (events they said going or maybe to); 0: the server's.
-- `region` narrows either. `/events subscribe reset:True` deletes the member's tokens of that
-- kind (same guild, mine and region), so the old URLs answer 404. Personal data: shown by
-- /privacy mydata, deleted by /privacy forget (bot/stores/privacy.py MEMBER_DATA).

CREATE TABLE feed_tokens (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    guild_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    mine INTEGER NOT NULL DEFAULT 0 CHECK (mine IN (0, 1)),
    region TEXT,
    created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX feed_tokens_by_member ON feed_tokens (user_id, guild_id, mine, region);
