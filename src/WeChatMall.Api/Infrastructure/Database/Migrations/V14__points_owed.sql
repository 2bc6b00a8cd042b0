-- Refund reversals (issue #13): points a refund takes back that were already spent are owed, not a negative balance.
-- Every statement is re-runnable: MariaDB DDL commits implicitly, so a half-applied script must be safe to retry.

-- What the member owes; kept by PointsOwed (Members) with the member row locked. Later credits settle it first.
ALTER TABLE members ADD COLUMN IF NOT EXISTS points_owed BIGINT NOT NULL DEFAULT 0 CHECK (points_owed >= 0);

-- Append-only history of points_owed: +n when a refund could not take n back (already spent), -n when a credit or a
-- merge settled n (next to the points_ledger debit with the same idempotency_key). SUM(delta) = members.points_owed.
CREATE TABLE IF NOT EXISTS points_owed_entries (
    id               BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    member_id        BIGINT        NOT NULL,
    delta            BIGINT        NOT NULL CHECK (delta <> 0),
    owed_after       BIGINT        NOT NULL CHECK (owed_after >= 0),
    reason           VARCHAR(255)  NOT NULL,
    reference        VARCHAR(128)  NULL,
    idempotency_key  VARCHAR(128)  NOT NULL COLLATE utf8mb4_bin,
    created_at       DATETIME(3)   NOT NULL,
    UNIQUE KEY ux_points_owed_idempotency (idempotency_key),
    KEY ix_points_owed_member (member_id, id),
    CONSTRAINT fk_points_owed_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Earned points of an order already reversed by its refunds, so the refund that completes it reverses exactly the rest.
ALTER TABLE loyalty_effects ADD COLUMN IF NOT EXISTS points_reversed BIGINT NOT NULL DEFAULT 0;
