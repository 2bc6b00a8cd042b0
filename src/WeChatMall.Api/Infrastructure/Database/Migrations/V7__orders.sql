-- Orders (issue #9): carts, addresses, orders and their lines. Money is BIGINT fen, times are UTC.
-- Every statement is re-runnable: MariaDB DDL commits implicitly, so a half-applied script must be safe to retry.

CREATE TABLE IF NOT EXISTS member_addresses (
    id           BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    member_id    BIGINT        NOT NULL,
    recipient    VARCHAR(64)   NOT NULL,
    phone        VARCHAR(32)   NOT NULL,
    province     VARCHAR(32)   NOT NULL,
    city         VARCHAR(32)   NOT NULL,
    district     VARCHAR(32)   NOT NULL,
    detail       VARCHAR(256)  NOT NULL,
    postal_code  VARCHAR(16)   NULL,
    is_default   BOOL          NOT NULL DEFAULT FALSE,
    created_at   DATETIME(3)   NOT NULL,
    updated_at   DATETIME(3)   NOT NULL,
    KEY ix_member_addresses_member (member_id, is_default),
    CONSTRAINT fk_member_addresses_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per (member, SKU). A SKU deleted by the merchant disappears from carts.
CREATE TABLE IF NOT EXISTS cart_items (
    member_id   BIGINT        NOT NULL,
    sku_id      BIGINT        NOT NULL,
    quantity    INT           NOT NULL CHECK (quantity > 0),
    created_at  DATETIME(3)   NOT NULL,
    updated_at  DATETIME(3)   NOT NULL,
    PRIMARY KEY (member_id, sku_id),
    CONSTRAINT fk_cart_items_member FOREIGN KEY (member_id) REFERENCES members (id),
    CONSTRAINT fk_cart_items_sku FOREIGN KEY (sku_id) REFERENCES catalog_skus (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- status: see OrderStatus (the only place that lists the allowed transitions).
-- payable_fen = goods_fen - discount_fen - points_fen + shipping_fen, and is what WeChat Pay must confirm.
-- (member_id, idempotency_key) is unique so a retried "place order" tap answers with the first order.
CREATE TABLE IF NOT EXISTS orders (
    id               BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    order_no         VARCHAR(32)   NOT NULL COLLATE utf8mb4_bin,
    member_id        BIGINT        NOT NULL,
    status           VARCHAR(24)   NOT NULL,
    idempotency_key  VARCHAR(64)   NULL COLLATE utf8mb4_bin,
    request_hash     CHAR(64)      NULL,                     -- SHA-256 (hex) of the placing request, to refuse a reused key
    goods_fen        BIGINT        NOT NULL CHECK (goods_fen > 0),
    discount_fen     BIGINT        NOT NULL DEFAULT 0 CHECK (discount_fen >= 0),
    points_used      BIGINT        NOT NULL DEFAULT 0 CHECK (points_used >= 0),
    points_fen       BIGINT        NOT NULL DEFAULT 0 CHECK (points_fen >= 0),
    shipping_fen     BIGINT        NOT NULL DEFAULT 0 CHECK (shipping_fen >= 0),
    payable_fen      BIGINT        NOT NULL CHECK (payable_fen > 0),
    refunded_fen     BIGINT        NOT NULL DEFAULT 0 CHECK (refunded_fen >= 0),
    points_earned    BIGINT        NOT NULL DEFAULT 0,
    tier_code        VARCHAR(32)   NULL,                     -- the tier whose discount applied
    address          LONGTEXT      NULL CHECK (address IS NULL OR JSON_VALID(address)), -- snapshot at order time
    remark           VARCHAR(256)  NULL,
    payer_openid     VARCHAR(128)  NULL COLLATE utf8mb4_bin,  -- the mini-program openid the prepay was made for
    prepay_id        VARCHAR(64)   NULL,
    transaction_id   VARCHAR(64)   NULL,
    carrier          VARCHAR(64)   NULL,
    tracking_no      VARCHAR(64)   NULL,
    cancel_reason    VARCHAR(64)   NULL,
    expires_at       DATETIME(3)   NOT NULL,                 -- unpaid after this → cancelled by the expiry job
    paid_at          DATETIME(3)   NULL,
    shipped_at       DATETIME(3)   NULL,
    completed_at     DATETIME(3)   NULL,
    cancelled_at     DATETIME(3)   NULL,
    created_at       DATETIME(3)   NOT NULL,
    updated_at       DATETIME(3)   NOT NULL,
    UNIQUE KEY ux_orders_order_no (order_no),
    UNIQUE KEY ux_orders_idempotency (member_id, idempotency_key),
    KEY ix_orders_member (member_id, id),
    KEY ix_orders_status_expiry (status, expires_at),
    KEY ix_orders_status_created (status, created_at),
    CONSTRAINT fk_orders_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A snapshot of what was bought: SKUs and products may change or be deleted later (no FK to them).
-- paid_fen is this line's share of payable_fen (discount and points spread over lines), for refunds and points.
CREATE TABLE IF NOT EXISTS order_lines (
    id                 BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    order_id           BIGINT        NOT NULL,
    sku_id             BIGINT        NOT NULL,
    product_id         BIGINT        NOT NULL,
    title              VARCHAR(128)  NOT NULL,
    spec               LONGTEXT      NOT NULL CHECK (JSON_VALID(spec)),
    image_url          VARCHAR(512)  NULL,
    unit_price_fen     BIGINT        NOT NULL CHECK (unit_price_fen > 0),
    quantity           INT           NOT NULL CHECK (quantity > 0),
    paid_fen           BIGINT        NOT NULL CHECK (paid_fen >= 0),
    refunded_quantity  INT           NOT NULL DEFAULT 0,
    KEY ix_order_lines_order (order_id),
    KEY ix_order_lines_sku (sku_id),
    CONSTRAINT fk_order_lines_order FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every status change, written by OrderTransitions in the same transaction: who/what moved the order and why.
CREATE TABLE IF NOT EXISTS order_events (
    id           BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    order_id     BIGINT        NOT NULL,
    from_status  VARCHAR(24)   NULL,
    to_status    VARCHAR(24)   NOT NULL,
    actor        VARCHAR(64)   NOT NULL,                     -- member:<id> | admin | pay-notify | reconcile | expiry-job | ...
    note         VARCHAR(512)  NULL,
    created_at   DATETIME(3)   NOT NULL,
    KEY ix_order_events_order (order_id, id),
    CONSTRAINT fk_order_events_order FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
