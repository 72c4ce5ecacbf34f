-- 0021: attendance and meeting notes. From 30 minutes before an event starts until 7 days after it ends members say they were there (a button on its post) and organisers tick who came (/events attendance): one row per member in `attendance`, `by_organiser` = 1 when an organiser ticked it. `attended_members` on the event is the number of members who attended, kept in the same unit of work as the rows, so erasing the rows after the server's retention keeps the count (a member forgotten is taken off it); `attended_others` counts people not on Discord. Notes: an English and a Welsh paragraph and a link, shown with the event and in its calendar entry.

CREATE TABLE attendance (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL,
    by_organiser INTEGER NOT NULL DEFAULT 0 CHECK (by_organiser IN (0, 1)),
    marked_at INTEGER NOT NULL,
    PRIMARY KEY (event_id, user_id)
) STRICT;

CREATE INDEX attendance_by_user ON attendance (user_id);

ALTER TABLE events ADD COLUMN attended_members INTEGER NOT NULL DEFAULT 0 CHECK (attended_members >= 0);
ALTER TABLE events ADD COLUMN attended_others INTEGER NOT NULL DEFAULT 0 CHECK (attended_others >= 0);
ALTER TABLE events ADD COLUMN notes_en TEXT;
ALTER TABLE events ADD COLUMN notes_cy TEXT;
ALTER TABLE events ADD COLUMN notes_link TEXT;
