-- Refunds as their own state machine (issue #14). Every statement is re-runnable: MariaDB DDL commits implicitly.
--
-- orders.status is now the fulfilment status only: pending_payment → paid → shipped → completed, pending_payment →
-- cancelled (and cancelled → paid for a late payment revived). The money that went back is orders.refund_state:
-- none → partially_refunded → refunded (see OrderStatus and OrderRefundState).
ALTER TABLE orders ADD COLUMN IF NOT EXISTS refund_state VARCHAR(24) NOT NULL DEFAULT 'none' AFTER refunded_fen;

-- Existing rows: 'refunding'/'refunded' were both "some money is going or went back". The fulfilment status is
-- rebuilt from the timestamps each move set; a cancelled order that was never revived stays cancelled (late payment).
UPDATE orders
SET refund_state = CASE WHEN refunded_fen >= payable_fen THEN 'refunded' WHEN refunded_fen > 0 THEN 'partially_refunded' ELSE 'none' END,
    status = CASE
        WHEN completed_at IS NOT NULL THEN 'completed'
        WHEN shipped_at IS NOT NULL THEN 'shipped'
        WHEN cancelled_at IS NOT NULL AND revived_at IS NULL THEN 'cancelled'
        ELSE 'paid' END
WHERE status IN ('refunding', 'refunded');

UPDATE orders SET refund_state = 'partially_refunded'
WHERE refund_state = 'none' AND refunded_fen > 0 AND refunded_fen < payable_fen;

CREATE INDEX IF NOT EXISTS ix_orders_refund_state ON orders (refund_state, id);

-- order_refunds.status (see RefundStatus): requested → processing | rejected; processing → succeeded | closed | abnormal
-- | failed; closed/abnormal/failed → processing (retried under the same out_refund_no) or settled_offline (an operator
-- paid the money back outside WeChat Pay); abnormal → succeeded (resolved in the merchant console).
-- Existing rows: CLOSED was recorded as failed, ABNORMAL was left processing.
UPDATE order_refunds SET status = 'closed' WHERE status = 'failed' AND wechat_status = 'CLOSED';
UPDATE order_refunds SET status = 'abnormal' WHERE status = 'processing' AND wechat_status = 'ABNORMAL';

-- Every move of a refund, written by RefundStore in the same transaction: who, when, why (the audit of a refund
-- settled offline is its row here).
CREATE TABLE IF NOT EXISTS refund_events (
    id           BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    refund_id    BIGINT        NOT NULL,
    from_status  VARCHAR(16)   NULL,
    to_status    VARCHAR(16)   NOT NULL,
    actor        VARCHAR(64)   NOT NULL,                     -- admin:<operator> | refund-notify | reconcile | refund-api | ...
    note         VARCHAR(512)  NULL,
    created_at   DATETIME(3)   NOT NULL,
    KEY ix_refund_events_refund (refund_id, id),
    CONSTRAINT fk_refund_events_refund FOREIGN KEY (refund_id) REFERENCES order_refunds (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The goods a refund takes back: these quantities (and only these) return to stock when the money goes back.
CREATE TABLE IF NOT EXISTS order_refund_lines (
    refund_id      BIGINT  NOT NULL,
    order_line_id  BIGINT  NOT NULL,
    quantity       INT     NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (refund_id, order_line_id),
    CONSTRAINT fk_order_refund_lines_refund FOREIGN KEY (refund_id) REFERENCES order_refunds (id),
    CONSTRAINT fk_order_refund_lines_line FOREIGN KEY (order_line_id) REFERENCES order_lines (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Refunds still open with return_stock = 1 meant "every line not yet returned": write that down as lines.
INSERT IGNORE INTO order_refund_lines (refund_id, order_line_id, quantity)
SELECT r.id, l.id, l.quantity - l.refunded_quantity
FROM order_refunds r JOIN order_lines l ON l.order_id = r.order_id
WHERE r.return_stock = 1 AND r.status IN ('requested', 'processing', 'abnormal') AND l.quantity > l.refunded_quantity;
