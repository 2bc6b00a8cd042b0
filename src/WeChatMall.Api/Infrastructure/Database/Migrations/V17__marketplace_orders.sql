-- Marketplace customers come home (issue #15, item 6): orders imported from Tmall/Taobao, JD and other marketplace
-- exports. Money is BIGINT fen, times are UTC. Every statement is re-runnable: MariaDB DDL commits implicitly.

-- One row per upload: its report (counts, and the rejected rows with their reason codes as JSON).
CREATE TABLE IF NOT EXISTS marketplace_imports (
    id             BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    platform       VARCHAR(16)   NOT NULL,                   -- tmall | jd | other
    file_name      VARCHAR(255)  NULL,
    data_rows      INT           NOT NULL,
    imported       INT           NOT NULL,
    matched        INT           NOT NULL,
    prospects      INT           NOT NULL,
    new_prospects  INT           NOT NULL,
    unclaimed      INT           NOT NULL,
    duplicates     INT           NOT NULL,
    rejected       INT           NOT NULL,
    rejections     LONGTEXT      NOT NULL CHECK (JSON_VALID(rejections)),
    created_at     DATETIME(3)   NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- (platform, order_no) is unique: importing a file again adds nothing. The full phone is never stored: a full number
-- was matched to a member (or a prospect holding it) at import; phone_last4 is what a shopper proves to claim the rest.
-- link: matched (a member with a WeChat identity holds the phone) | prospect (held by a prospect) | unclaimed | claimed.
-- loyalty_at: when the order counted toward points and tier (Marketplace:CountTowardLoyalty), once.
CREATE TABLE IF NOT EXISTS marketplace_orders (
    id             BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    platform       VARCHAR(16)   NOT NULL,
    order_no       VARCHAR(64)   NOT NULL COLLATE utf8mb4_bin,
    import_id      BIGINT        NOT NULL,
    buyer_nick     VARCHAR(64)   NULL,
    receiver_name  VARCHAR(64)   NULL,
    phone_masked   VARCHAR(32)   NULL,
    phone_last4    CHAR(4)       NOT NULL,
    items          VARCHAR(512)  NULL,
    amount_fen     BIGINT        NOT NULL CHECK (amount_fen >= 0),
    paid_at        DATETIME(3)   NOT NULL,
    member_id      BIGINT        NULL,
    link           VARCHAR(16)   NOT NULL,
    claimed_at     DATETIME(3)   NULL,
    loyalty_at     DATETIME(3)   NULL,
    created_at     DATETIME(3)   NOT NULL,
    updated_at     DATETIME(3)   NOT NULL,
    UNIQUE KEY ux_marketplace_orders_no (platform, order_no),
    KEY ix_marketplace_orders_order_no (order_no),
    KEY ix_marketplace_orders_member (member_id, paid_at),
    KEY ix_marketplace_orders_paid (paid_at),
    KEY ix_marketplace_orders_updated (updated_at),
    CONSTRAINT fk_marketplace_orders_import FOREIGN KEY (import_id) REFERENCES marketplace_imports (id),
    CONSTRAINT fk_marketplace_orders_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
