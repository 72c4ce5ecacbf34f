-- 0023: a signature or a network member that names an organisation points at its record (the bot has done so since 0022, which gave every spelling in use a record). The database now refuses a row that names one without its record, so the organisations behind a letter or the network are counted by record id alone, not by record or else spelling (the slowest part of a letter's tally).

CREATE TRIGGER signatures_need_record_on_insert BEFORE INSERT ON signatures
WHEN NEW.organisation IS NOT NULL AND NEW.organisation_id IS NULL
BEGIN
    SELECT RAISE(ABORT, 'a signature that names an organisation needs its organisation_id');
END;

CREATE TRIGGER signatures_need_record_on_update BEFORE UPDATE OF organisation, organisation_id ON signatures
WHEN NEW.organisation IS NOT NULL AND NEW.organisation_id IS NULL
BEGIN
    SELECT RAISE(ABORT, 'a signature that names an organisation needs its organisation_id');
END;

CREATE TRIGGER network_members_need_record_on_insert BEFORE INSERT ON network_members
WHEN NEW.organisation_id IS NULL
BEGIN
    SELECT RAISE(ABORT, 'a network member needs its organisation_id');
END;

CREATE TRIGGER network_members_need_record_on_update BEFORE UPDATE OF organisation, organisation_id ON network_members
WHEN NEW.organisation_id IS NULL
BEGIN
    SELECT RAISE(ABORT, 'a network member needs its organisation_id');
END;
