-- 0005: meeting series with a host rota; an edit counter for calendar files; the link to Discord's own Events tab.

CREATE TABLE series (
    id INTEGER PRIMARY KEY,
    guild_id INTEGER NOT NULL,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 90),
    hosts TEXT NOT NULL DEFAULT '[]',
    region TEXT,
    next_number INTEGER NOT NULL DEFAULT 1 CHECK (next_number >= 1),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX series_by_name ON series (guild_id, name COLLATE NOCASE);

ALTER TABLE events ADD COLUMN series_id INTEGER REFERENCES series (id);
ALTER TABLE events ADD COLUMN series_number INTEGER;
ALTER TABLE events ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN native_event_id INTEGER;

CREATE INDEX events_by_series ON events (series_id, series_number) WHERE series_id IS NOT NULL;

ALTER TABLE guild_settings ADD COLUMN mirror_problem TEXT;
