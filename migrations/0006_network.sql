-- 0006: members' network profiles: the organisation each member works for and their region.

CREATE TABLE network_members (
    guild_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    organisation TEXT NOT NULL CHECK (length(organisation) BETWEEN 1 AND 100),
    organisation_key TEXT NOT NULL,
    region TEXT,
    joined_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
) STRICT;

CREATE INDEX network_members_by_user ON network_members (user_id);
CREATE INDEX network_members_by_organisation ON network_members (guild_id, organisation_key);
