-- 0014: reminder times kept to the rule now enforced (at most six, each from 5 minutes to 28 days, none twice). A server default stored before the rule that breaks it goes back to the default 7d,1d,1h. An event's goes to its server's default, and its pending automatic reminders at other times are cancelled (a thousand times typed once would post a thousand reminders).

CREATE TEMP TABLE reminder_times_0014 AS
WITH RECURSIVE piece (source, owner, item, rest) AS (
    SELECT 'guild', guild_id, NULL, reminder_offsets || ',' FROM guild_settings
    UNION ALL
    SELECT 'event', id, NULL, reminder_offsets || ',' FROM events
    WHERE reminder_offsets IS NOT NULL AND reminder_offsets <> ''
    UNION ALL
    SELECT source, owner, substr(rest, 1, instr(rest, ',') - 1), substr(rest, instr(rest, ',') + 1)
    FROM piece WHERE rest <> ''
)
SELECT source, owner,
    CAST(substr(item, 1, length(item) - 1) AS INTEGER)
        * CASE substr(item, -1) WHEN 'd' THEN 1440 WHEN 'h' THEN 60 WHEN 'm' THEN 1 ELSE 0 END
        AS minutes
FROM piece WHERE item IS NOT NULL;

CREATE TEMP TABLE reminder_times_broken_0014 AS
SELECT source, owner FROM reminder_times_0014
GROUP BY source, owner
HAVING count(*) > 6 OR min(minutes) < 5 OR max(minutes) > 40320
    OR count(DISTINCT minutes) < count(*);

UPDATE guild_settings SET reminder_offsets = '7d,1d,1h'
WHERE guild_id IN (SELECT owner FROM reminder_times_broken_0014 WHERE source = 'guild');

UPDATE events SET reminder_offsets = coalesce(
    (SELECT g.reminder_offsets FROM guild_settings g WHERE g.guild_id = events.guild_id),
    '7d,1d,1h'
)
WHERE id IN (SELECT owner FROM reminder_times_broken_0014 WHERE source = 'event');

CREATE TEMP TABLE reminder_times_wanted_0014 AS
WITH RECURSIVE piece (event_id, item, rest) AS (
    SELECT id, NULL, reminder_offsets || ',' FROM events
    WHERE id IN (SELECT owner FROM reminder_times_broken_0014 WHERE source = 'event')
    UNION ALL
    SELECT event_id, substr(rest, 1, instr(rest, ',') - 1), substr(rest, instr(rest, ',') + 1)
    FROM piece WHERE rest <> ''
)
SELECT event_id,
    CAST(substr(item, 1, length(item) - 1) AS INTEGER)
        * CASE substr(item, -1) WHEN 'd' THEN 86400 WHEN 'h' THEN 3600 WHEN 'm' THEN 60 ELSE 0 END
        AS offset_s
FROM piece WHERE item IS NOT NULL;

UPDATE reminders SET status = 'cancelled', done_at = CAST(strftime('%s', 'now') AS INTEGER)
WHERE status = 'pending' AND user_id IS NULL
    AND event_id IN (SELECT owner FROM reminder_times_broken_0014 WHERE source = 'event')
    AND (event_id, offset_s) NOT IN (SELECT event_id, offset_s FROM reminder_times_wanted_0014);

DROP TABLE temp.reminder_times_0014;
DROP TABLE temp.reminder_times_broken_0014;
DROP TABLE temp.reminder_times_wanted_0014;
