-- Product codes (issue #7): one-time codes printed on packaging, claimed by a member for points once, ever.
-- Only the SHA-256 of the normalized code is stored, so a copy of this table cannot be used to claim anything.
-- Every statement is re-runnable: MariaDB DDL commits implicitly, so a half-applied script must be safe to retry.

-- product_id is optional and informational (no FK: products may be retired while printed codes live on).
CREATE TABLE IF NOT EXISTS product_code_batches (
    id           BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    product_id   BIGINT        NULL,
    name         VARCHAR(128)  NOT NULL,
    points       BIGINT        NOT NULL CHECK (points > 0),
    code_count   INT           NOT NULL CHECK (code_count > 0),
    expires_at   DATETIME(3)   NULL,
    disabled_at  DATETIME(3)   NULL,
    created_at   DATETIME(3)   NOT NULL,
    KEY ix_product_code_batches_product (product_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- claimed_by/claimed_at are set once by a conditional UPDATE ... WHERE claimed_by IS NULL, in the same
-- transaction as the points ledger entry (idempotency key "code:<id>").
CREATE TABLE IF NOT EXISTS product_codes (
    id          BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    batch_id    BIGINT        NOT NULL,
    code_hash   BINARY(32)    NOT NULL,
    claimed_by  BIGINT        NULL,
    claimed_at  DATETIME(3)   NULL,
    UNIQUE KEY ux_product_codes_hash (code_hash),
    KEY ix_product_codes_batch (batch_id, claimed_by),
    KEY ix_product_codes_member (claimed_by),
    CONSTRAINT fk_product_codes_batch FOREIGN KEY (batch_id) REFERENCES product_code_batches (id),
    CONSTRAINT fk_product_codes_member FOREIGN KEY (claimed_by) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
