-- Segments' "orders / spend within N days" without grouping the window's orders (issue #15, scale; a 30-day window of
-- the 5M-order benchmark data holds 1M orders). member_stats keeps, beside last_paid_at, the times of the second, third
-- and fourth most recent counted orders and the net spend of the one, two and three most recent: "k orders or more in
-- the window" holds exactly when the k-th most recent is in it, and a member with at most three orders in the window
-- has its window spend in the row. Only members with four or more read their window's orders, through
-- ix_orders_member_paid (member first: a few index entries each). Kept by MemberStats with the rest of the row.
ALTER TABLE member_stats
    ADD COLUMN IF NOT EXISTS last2_paid_at DATETIME(3) NULL AFTER last_paid_at,
    ADD COLUMN IF NOT EXISTS last3_paid_at DATETIME(3) NULL AFTER last2_paid_at,
    ADD COLUMN IF NOT EXISTS last4_paid_at DATETIME(3) NULL AFTER last3_paid_at,
    ADD COLUMN IF NOT EXISTS last1_net_fen BIGINT NOT NULL DEFAULT 0 AFTER last4_paid_at,
    ADD COLUMN IF NOT EXISTS last2_net_fen BIGINT NOT NULL DEFAULT 0 AFTER last1_net_fen,
    ADD COLUMN IF NOT EXISTS last3_net_fen BIGINT NOT NULL DEFAULT 0 AFTER last2_net_fen;

CREATE INDEX IF NOT EXISTS ix_member_stats_last2_paid ON member_stats (last2_paid_at);
CREATE INDEX IF NOT EXISTS ix_member_stats_last3_paid ON member_stats (last3_paid_at);

ALTER TABLE orders ADD INDEX IF NOT EXISTS ix_orders_member_paid (member_id, paid_at, status, refund_state, payable_fen, refunded_fen);

-- Existing rows: the same values MemberStats computes (a counted order: paid, shipped or completed, not refunded in full).
UPDATE member_stats s
JOIN (
    SELECT member_id, MAX(CASE WHEN n = 2 THEN paid_at END) AS last2, MAX(CASE WHEN n = 3 THEN paid_at END) AS last3,
           MAX(CASE WHEN n = 4 THEN paid_at END) AS last4, SUM(CASE WHEN n <= 1 THEN net END) AS net1,
           SUM(CASE WHEN n <= 2 THEN net END) AS net2, SUM(CASE WHEN n <= 3 THEN net END) AS net3
    FROM (
        SELECT member_id, paid_at, payable_fen - refunded_fen AS net,
               ROW_NUMBER() OVER (PARTITION BY member_id ORDER BY paid_at DESC, id DESC) AS n
        FROM orders WHERE status IN ('paid', 'shipped', 'completed') AND refund_state <> 'refunded'
    ) o
    WHERE n <= 4
    GROUP BY member_id
) k ON k.member_id = s.member_id
SET s.last2_paid_at = k.last2, s.last3_paid_at = k.last3, s.last4_paid_at = k.last4,
    s.last1_net_fen = k.net1, s.last2_net_fen = k.net2, s.last3_net_fen = k.net3;
