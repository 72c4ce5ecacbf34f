-- 0019: languages (Cymraeg a Saesneg). A server's mode (`/setup language`: the language of its public posts, and of replies to members who have not chosen one) is a setting; a member's own choice (`/language`) is personal data, one row per server and member, shown in /privacy mydata and erased by /privacy forget.

ALTER TABLE guild_settings ADD COLUMN language TEXT NOT NULL DEFAULT 'en'
    CHECK (language IN ('en', 'cy', 'bilingual'));

CREATE TABLE member_languages (
    guild_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('en', 'cy')),
    chosen_at INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
) STRICT, WITHOUT ROWID;
