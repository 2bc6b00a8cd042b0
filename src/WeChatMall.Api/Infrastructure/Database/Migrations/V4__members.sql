-- Members (issue #7, part 1): one customer across channels, and their points. Times are UTC.
-- Every statement is re-runnable: MariaDB DDL commits implicitly, so a half-applied script must be safe to retry.

-- points_balance is kept by PointsLedger in the same transaction as the ledger entry; the CHECK is the last guard.
CREATE TABLE IF NOT EXISTS members (
    id              BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    invite_code     VARCHAR(16)   NOT NULL,
    tier            VARCHAR(32)   NULL,                      -- placeholder until tiers land
    points_balance  BIGINT        NOT NULL DEFAULT 0 CHECK (points_balance >= 0),
    created_at      DATETIME(3)   NOT NULL,
    updated_at      DATETIME(3)   NOT NULL,
    UNIQUE KEY ux_members_invite_code (invite_code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every way we recognise a person: mp_openid | oa_openid | unionid | phone. (kind, value) is unique, so one
-- identity belongs to exactly one member; a member may hold several of a kind, which a merge (re-pointing
-- member_id) needs. utf8mb4_bin: openids are case-sensitive.
CREATE TABLE IF NOT EXISTS member_identities (
    id          BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    member_id   BIGINT        NOT NULL,
    kind        VARCHAR(16)   NOT NULL,
    value       VARCHAR(128)  NOT NULL COLLATE utf8mb4_bin,
    created_at  DATETIME(3)   NOT NULL,
    UNIQUE KEY ux_member_identities_value (kind, value),
    KEY ix_member_identities_member (member_id, kind),
    CONSTRAINT fk_member_identities_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Append-only: never updated or deleted. idempotency_key is unique across all members (callers namespace it,
-- e.g. "order-paid:<orderNo>"), so a retried credit or debit is written once.
CREATE TABLE IF NOT EXISTS points_ledger (
    id               BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    member_id        BIGINT        NOT NULL,
    delta            BIGINT        NOT NULL CHECK (delta <> 0),
    balance_after    BIGINT        NOT NULL CHECK (balance_after >= 0),
    reason           VARCHAR(255)  NOT NULL,
    reference        VARCHAR(128)  NULL,
    idempotency_key  VARCHAR(128)  NOT NULL COLLATE utf8mb4_bin,
    created_at       DATETIME(3)   NOT NULL,
    UNIQUE KEY ux_points_ledger_idempotency (idempotency_key),
    KEY ix_points_ledger_member (member_id, id),
    CONSTRAINT fk_points_ledger_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
