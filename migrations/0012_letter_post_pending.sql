-- 0012: a letter is saved before its post goes out (its Sign button needs the id); `posted` = 0 marks a row whose post is not out yet, swept at start if the bot stopped in between, as events are (0007). Letters saved before this with no post were left by such a stop.

ALTER TABLE letters ADD COLUMN posted INTEGER NOT NULL DEFAULT 1 CHECK (posted IN (0, 1));
UPDATE letters SET posted = 0 WHERE message_id IS NULL;
CREATE INDEX letters_unposted ON letters (id) WHERE posted = 0;
