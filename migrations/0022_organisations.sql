-- 0022: organisations become records (name, Welsh name, aliases) that members, signatures, hosts and series point at; today's strings become records, one per spelling key.

-- A record and the keys it answers to (bot.domain.organisations.match_key of its name, its
-- Welsh name and its aliases, and of spellings it was known by): one key, one record.
CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    guild_id INTEGER NOT NULL,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    welsh_name TEXT CHECK (welsh_name IS NULL OR length(welsh_name) BETWEEN 1 AND 100),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE INDEX organisations_by_guild ON organisations (guild_id, name COLLATE NOCASE);

CREATE TABLE organisation_names (
    guild_id INTEGER NOT NULL,
    key TEXT NOT NULL CHECK (length(key) >= 1),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('name', 'welsh', 'alias', 'spelling')),
    spelling TEXT NOT NULL CHECK (length(spelling) BETWEEN 1 AND 100),
    PRIMARY KEY (guild_id, key)
) STRICT, WITHOUT ROWID;

CREATE INDEX organisation_names_by_organisation ON organisation_names (organisation_id);

ALTER TABLE network_members ADD COLUMN organisation_id INTEGER REFERENCES organisations (id);
ALTER TABLE signatures ADD COLUMN organisation_id INTEGER REFERENCES organisations (id);
ALTER TABLE events ADD COLUMN host_organisation_id INTEGER REFERENCES organisations (id);

-- Every spelling in use today. `base` is the old organisation_key (NFKC, casefolded, spaces
-- folded, computed by the bot); hosts had none, so lower() stands in (ASCII case only), and a
-- host spelled exactly like a member's or signatory's organisation takes theirs (rank 0).
CREATE TABLE migrating_0022 (
    guild_id INTEGER NOT NULL,
    spelling TEXT NOT NULL,
    base TEXT NOT NULL,
    rank INTEGER NOT NULL,
    seen_at INTEGER NOT NULL
) STRICT;

INSERT INTO migrating_0022
SELECT guild_id, organisation, organisation_key, 0, joined_at FROM network_members;

INSERT INTO migrating_0022
SELECT l.guild_id, s.organisation, s.organisation_key, 0, s.signed_at
FROM signatures s JOIN letters l ON l.id = s.letter_id WHERE s.organisation IS NOT NULL;

INSERT INTO migrating_0022
SELECT guild_id, trim(host), lower(trim(host)), 1, created_at
FROM events WHERE host IS NOT NULL AND trim(host) <> '' AND length(trim(host)) <= 100;

INSERT INTO migrating_0022
SELECT s.guild_id, trim(j.value), lower(trim(j.value)), 1, s.created_at
FROM series s, json_each(s.hosts) j
WHERE json_valid(s.hosts) AND j.type = 'text' AND trim(j.value) <> ''
AND length(trim(j.value)) <= 100;

-- Each spelling's key: its base with the characters of match_key's PUNCTUATION and spaces
-- deleted, one character at a time. Nothing left: '~' and the base, a key no typed name has.
CREATE TABLE spellings_0022 (
    guild_id INTEGER NOT NULL,
    spelling TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (guild_id, spelling)
) STRICT;

INSERT INTO spellings_0022
WITH RECURSIVE
chosen (guild_id, spelling, base) AS (
    SELECT guild_id, spelling, base FROM (
        SELECT guild_id, spelling, base, min(rank) FROM migrating_0022 GROUP BY guild_id, spelling
    )
),
strip (guild_id, spelling, base, rest, done) AS (
    SELECT guild_id, spelling, base, base, '' FROM chosen
    UNION ALL
    SELECT guild_id, spelling, base, substr(rest, 2),
        done || CASE WHEN instr('!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~‘’‚‛“”„‐‑‒–—―…·•′″«»¡¿ ', substr(rest, 1, 1)) > 0 THEN '' ELSE substr(rest, 1, 1) END
    FROM strip WHERE rest <> ''
)
SELECT guild_id, spelling, CASE done WHEN '' THEN '~' || base ELSE done END
FROM strip WHERE rest = '';

-- One record per key, named by its most used spelling (the earliest on a tie).
INSERT INTO organisations (guild_id, name, created_at, updated_at)
SELECT guild_id, spelling, first_at, first_at FROM (
    SELECT m.guild_id, k.key, m.spelling, min(m.seen_at) AS first_at,
        row_number() OVER (
            PARTITION BY m.guild_id, k.key ORDER BY count(*) DESC, min(m.seen_at), m.spelling
        ) AS place
    FROM migrating_0022 m
    JOIN spellings_0022 k ON k.guild_id = m.guild_id AND k.spelling = m.spelling
    GROUP BY m.guild_id, k.key, m.spelling
) WHERE place = 1 ORDER BY guild_id, first_at, key;

INSERT INTO organisation_names (guild_id, key, organisation_id, kind, spelling)
SELECT o.guild_id, k.key, o.id, 'name', o.name
FROM organisations o JOIN spellings_0022 k ON k.guild_id = o.guild_id AND k.spelling = o.name;

UPDATE network_members SET organisation_id = (
    SELECT n.organisation_id FROM spellings_0022 k
    JOIN organisation_names n ON n.guild_id = k.guild_id AND n.key = k.key
    WHERE k.guild_id = network_members.guild_id AND k.spelling = network_members.organisation
);

UPDATE signatures SET organisation_id = (
    SELECT n.organisation_id FROM letters l
    JOIN spellings_0022 k ON k.guild_id = l.guild_id AND k.spelling = signatures.organisation
    JOIN organisation_names n ON n.guild_id = k.guild_id AND n.key = k.key
    WHERE l.id = signatures.letter_id
) WHERE organisation IS NOT NULL;

UPDATE events SET host_organisation_id = (
    SELECT n.organisation_id FROM spellings_0022 k
    JOIN organisation_names n ON n.guild_id = k.guild_id AND n.key = k.key
    WHERE k.guild_id = events.guild_id AND k.spelling = trim(events.host)
) WHERE host IS NOT NULL;

DROP TABLE spellings_0022;
DROP TABLE migrating_0022;

CREATE INDEX network_members_by_organisation_id ON network_members (guild_id, organisation_id);
-- A letter's tally (signatures, organisations, listed) still from one index alone.
DROP INDEX signatures_by_letter_org;
CREATE INDEX signatures_by_letter_organisation
ON signatures (letter_id, organisation_id, organisation_key, public);
CREATE INDEX signatures_by_organisation ON signatures (organisation_id)
WHERE organisation_id IS NOT NULL;
CREATE INDEX events_by_host_organisation ON events (host_organisation_id)
WHERE host_organisation_id IS NOT NULL;

-- Where the server's welcome panel is (one a server: posting it again moves it).
CREATE TABLE welcome_panels (
    guild_id INTEGER PRIMARY KEY,
    channel_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    posted_at INTEGER NOT NULL
) STRICT;
