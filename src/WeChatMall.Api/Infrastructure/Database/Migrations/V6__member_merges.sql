-- Member merges (issue #7): two members who turn out to be the same person become one. Times are UTC.
-- Every statement is re-runnable: MariaDB DDL commits implicitly, so a half-applied script must be safe to retry.

-- A merged member keeps its row (ids in old references, logs and audits stay resolvable) but points at the
-- survivor; it holds no identities, no points and no codes any more, so it can never log in or be merged again.
ALTER TABLE members ADD COLUMN IF NOT EXISTS merged_into BIGINT NULL;
ALTER TABLE members ADD COLUMN IF NOT EXISTS merged_at DATETIME(3) NULL;
ALTER TABLE members ADD CONSTRAINT fk_members_merged_into FOREIGN KEY IF NOT EXISTS (merged_into) REFERENCES members (id);

-- One row per merge, written in the merge's transaction. moved: counts of re-pointed rows per table, as JSON.
-- merged_by: "admin" or "auto:unionid". A member can be merged away once, hence the unique key.
CREATE TABLE IF NOT EXISTS member_merges (
    id               BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    survivor_id      BIGINT        NOT NULL,
    merged_id        BIGINT        NOT NULL,
    reason           VARCHAR(255)  NOT NULL,
    moved            JSON          NOT NULL,
    merged_by        VARCHAR(64)   NOT NULL,
    created_at       DATETIME(3)   NOT NULL,
    UNIQUE KEY ux_member_merges_merged (merged_id),
    KEY ix_member_merges_survivor (survivor_id),
    CONSTRAINT fk_member_merges_survivor FOREIGN KEY (survivor_id) REFERENCES members (id),
    CONSTRAINT fk_member_merges_merged FOREIGN KEY (merged_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
