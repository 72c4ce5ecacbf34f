-- 0024: each server's longest event is read from an index, so a list of events not yet over starts its walk at now less that length (starts_at is what the listing indexes are ordered by) and no longer walks every past event first: with 50,000 events, 30,000 of them over, the first page of /events upcoming took 4.1 ms in SQLite and takes 0.06 ms; a title typed in autocomplete that matches nothing, 7.1 ms and 3.5 ms.

CREATE INDEX events_by_length ON events (guild_id, ends_at - starts_at);
