-- 0020: optional Welsh text of events and letters (issue #16). NULL means none was given: a Welsh or bilingual post then shows the English. Lengths are checked in bot/domain like the English fields'.

ALTER TABLE events ADD COLUMN title_cy TEXT;
ALTER TABLE events ADD COLUMN description_cy TEXT;
ALTER TABLE letters ADD COLUMN title_cy TEXT;
ALTER TABLE letters ADD COLUMN body_cy TEXT;
