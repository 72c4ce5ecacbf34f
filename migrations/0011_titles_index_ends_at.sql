-- 0011: events_by_guild_titles gains ends_at (guild_id, starts_at, id, ends_at, title): autocomplete of every event now asks for the coming events, then the past ones, and without ends_at on the index each half read the row of every matching title on the other side of now (78 ms with nothing typed, 50,000 events; about 3-11 ms with it).

DROP INDEX events_by_guild_titles;
CREATE INDEX events_by_guild_titles ON events (guild_id, starts_at, id, ends_at, title);
