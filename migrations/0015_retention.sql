-- 0015: nothing kept without a reason. Each server's retention in months (default 24); the counts kept on an event or letter once its members' answers or signatures are erased; reminder deliveries already finished (kept only while a reminder is being sent, to send nobody the same reminder twice) go.

ALTER TABLE guild_settings ADD COLUMN retention_months INTEGER NOT NULL DEFAULT 24
    CHECK (retention_months BETWEEN 1 AND 120);

ALTER TABLE events ADD COLUMN erased_going INTEGER NOT NULL DEFAULT 0 CHECK (erased_going >= 0);
ALTER TABLE events ADD COLUMN erased_maybe INTEGER NOT NULL DEFAULT 0 CHECK (erased_maybe >= 0);
ALTER TABLE events ADD COLUMN erased_cant INTEGER NOT NULL DEFAULT 0 CHECK (erased_cant >= 0);
ALTER TABLE events ADD COLUMN erased_waitlist INTEGER NOT NULL DEFAULT 0
    CHECK (erased_waitlist >= 0);

ALTER TABLE letters ADD COLUMN erased_signatures INTEGER NOT NULL DEFAULT 0
    CHECK (erased_signatures >= 0);
ALTER TABLE letters ADD COLUMN erased_organisations INTEGER NOT NULL DEFAULT 0
    CHECK (erased_organisations >= 0);

DELETE FROM reminder_deliveries
WHERE reminder_id IN (SELECT id FROM reminders WHERE status NOT IN ('pending', 'claimed'));
