-- 0003: open letters and their signatures, one signature per member per letter.

CREATE TABLE letters (
    id INTEGER PRIMARY KEY,
    guild_id INTEGER NOT NULL,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 150),
    addressee TEXT NOT NULL CHECK (length(addressee) BETWEEN 1 AND 200),
    body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
    closes_at INTEGER,
    milestone INTEGER NOT NULL DEFAULT 25 CHECK (milestone >= 1),
    celebrated INTEGER NOT NULL DEFAULT 0 CHECK (celebrated >= 0),
    channel_id INTEGER NOT NULL,
    message_id INTEGER,
    closed_at INTEGER,
    body_changed_at INTEGER,
    created_by INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE INDEX letters_by_guild ON letters (guild_id, created_at);
CREATE UNIQUE INDEX letters_by_message ON letters (message_id) WHERE message_id IS NOT NULL;

CREATE TABLE signatures (
    id INTEGER PRIMARY KEY,
    letter_id INTEGER NOT NULL REFERENCES letters (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    organisation TEXT CHECK (organisation IS NULL OR length(organisation) BETWEEN 1 AND 100),
    organisation_key TEXT CHECK ((organisation IS NULL) = (organisation_key IS NULL)),
    public INTEGER NOT NULL DEFAULT 1 CHECK (public IN (0, 1)),
    signed_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (letter_id, user_id)
) STRICT;

CREATE INDEX signatures_by_letter_order ON signatures (letter_id, signed_at, id);
CREATE INDEX signatures_by_user ON signatures (user_id);
