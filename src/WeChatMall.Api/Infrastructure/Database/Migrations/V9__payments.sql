-- Payments (issue #9, part 2): WeChat Pay notifications received, refunds, and the columns reconciliation needs.
-- Every statement is re-runnable: MariaDB DDL commits implicitly, so a half-applied script must be safe to retry.

-- prepay_at: when prepay_id was obtained (it is valid for 2 hours; reconciliation starts N minutes after it).
-- pay_checked_at: last time a reconciler claimed the order for a query (a conditional UPDATE of it is the claim,
-- so several instances never query the same order in the same round).
-- revived_at: a payment learnt after expiry cancelled the order, and the order was revived (stock and points re-taken).
ALTER TABLE orders
    ADD COLUMN IF NOT EXISTS prepay_at      DATETIME(3) NULL,
    ADD COLUMN IF NOT EXISTS pay_checked_at DATETIME(3) NULL,
    ADD COLUMN IF NOT EXISTS revived_at     DATETIME(3) NULL;

CREATE INDEX IF NOT EXISTS ix_orders_status_prepay ON orders (status, prepay_at);

-- Every notification that passed signature and decryption, and what we did with it.
-- outcome: applied | duplicate | late | unknown_order | mismatch | ignored | failed.
CREATE TABLE IF NOT EXISTS pay_notifications (
    id               BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    notification_id  VARCHAR(64)   NULL,                     -- the envelope id (the same on every redelivery)
    event            VARCHAR(32)   NOT NULL,                 -- TRANSACTION.SUCCESS, REFUND.SUCCESS, …
    out_trade_no     VARCHAR(64)   NULL COLLATE utf8mb4_bin,
    out_refund_no    VARCHAR(64)   NULL COLLATE utf8mb4_bin,
    transaction_id   VARCHAR(64)   NULL,
    outcome          VARCHAR(16)   NOT NULL,
    detail           VARCHAR(512)  NULL,
    created_at       DATETIME(3)   NOT NULL,
    KEY ix_pay_notifications_trade (out_trade_no, id),
    KEY ix_pay_notifications_outcome (outcome, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per refund (out_refund_no is WeChat Pay's idempotency key: the same number is the same refund).
-- status: requested (shopper asked, admin decides) → processing (submitted or to be submitted) → succeeded | failed;
-- requested → rejected. amount_fen counts against the order's remaining money while requested or processing.
CREATE TABLE IF NOT EXISTS order_refunds (
    id              BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    order_id        BIGINT        NOT NULL,
    out_refund_no   VARCHAR(64)   NOT NULL COLLATE utf8mb4_bin,
    amount_fen      BIGINT        NOT NULL CHECK (amount_fen > 0),
    status          VARCHAR(16)   NOT NULL,
    source          VARCHAR(16)   NOT NULL,                  -- admin | shopper | late_payment
    reason          VARCHAR(80)   NULL,
    return_stock    BOOL          NOT NULL DEFAULT FALSE,
    refund_id       VARCHAR(64)   NULL,                      -- WeChat Pay's id once submitted
    wechat_status   VARCHAR(16)   NULL,                      -- last status WeChat Pay reported
    note            VARCHAR(256)  NULL,                      -- rejection reason, failure detail
    checked_at      DATETIME(3)   NULL,                      -- reconciliation claim, like orders.pay_checked_at
    created_at      DATETIME(3)   NOT NULL,
    submitted_at    DATETIME(3)   NULL,
    succeeded_at    DATETIME(3)   NULL,
    updated_at      DATETIME(3)   NOT NULL,
    UNIQUE KEY ux_order_refunds_no (out_refund_no),
    KEY ix_order_refunds_order (order_id, id),
    KEY ix_order_refunds_status (status, checked_at),
    CONSTRAINT fk_order_refunds_order FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
