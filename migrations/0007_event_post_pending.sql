-- 0007: an event is saved before its announcement is posted; `posted` = 0 marks a row whose post is not out yet (swept at start if the bot died in between).

ALTER TABLE events ADD COLUMN posted INTEGER NOT NULL DEFAULT 1 CHECK (posted IN (0, 1));
CREATE INDEX events_unposted ON events (id) WHERE posted = 0;
