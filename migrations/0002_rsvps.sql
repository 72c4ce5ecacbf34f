-- 0002: RSVPs by reaction, one answer per member per event, with capacity and a waitlist.

ALTER TABLE events ADD COLUMN capacity INTEGER CHECK (capacity IS NULL OR capacity >= 1);

CREATE TABLE rsvps (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('going', 'maybe', 'cant', 'waitlist')),
    responded_at INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (event_id, user_id)
) STRICT;

CREATE INDEX rsvps_by_event_status ON rsvps (event_id, status, seq);
CREATE INDEX rsvps_by_user ON rsvps (user_id);
