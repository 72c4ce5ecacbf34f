-- 0008: indexes for reading at scale (bench.read_at_scale): event lists, event autocomplete and signature pages read index entries, not every row of a large server or letter.

-- Counting a server's upcoming (or past) events: a range on ends_at, filters answered by the index alone.
CREATE INDEX events_upcoming ON events (guild_id, status, ends_at, region, kind);
-- A page of upcoming or past events, autocomplete of open events, the week's digest: walked in the
-- page's order (starts_at, id), rows rejected on the index; only matching rows past OFFSET are read.
CREATE INDEX events_listing ON events (guild_id, status, starts_at, id, ends_at, region, kind, title);
-- Autocomplete of every event (past and cancelled too) and titles typed in full; takes over from
-- events_by_guild_start, a prefix of it.
CREATE INDEX events_by_guild_titles ON events (guild_id, starts_at, id, status, ends_at, title);
DROP INDEX events_by_guild_start;
-- A page of a letter's public signatures in signing order, OFFSET skipped on the index alone.
CREATE INDEX signatures_public_order ON signatures (letter_id, public, signed_at, id);
-- A letter's tally (signatures, organisations, listed) from the index alone.
CREATE INDEX signatures_by_letter_org ON signatures (letter_id, organisation_key, public);
