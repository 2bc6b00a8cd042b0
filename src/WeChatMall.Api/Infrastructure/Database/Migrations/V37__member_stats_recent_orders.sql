-- Segments' "orders within N days ≥ k" for k up to 3 (issue #15, scale): a member has k counted orders in the window
-- exactly when their k-th most recent counted order is in it. With the second and third most recent next to
-- last_paid_at, those rules read member_stats alone instead of grouping the window's orders (a 30-day window of the
-- 5M-order benchmark data holds 1M orders). Kept by MemberStats with the rest of the row.
ALTER TABLE member_stats
    ADD COLUMN IF NOT EXISTS last2_paid_at DATETIME(3) NULL AFTER last_paid_at,
    ADD COLUMN IF NOT EXISTS last3_paid_at DATETIME(3) NULL AFTER last2_paid_at;

CREATE INDEX IF NOT EXISTS ix_member_stats_last2_paid ON member_stats (last2_paid_at);
CREATE INDEX IF NOT EXISTS ix_member_stats_last3_paid ON member_stats (last3_paid_at);

-- Existing rows: the same values MemberStats computes (a counted order: paid, shipped or completed, not refunded in full).
UPDATE member_stats s
JOIN (
    SELECT member_id, MAX(CASE WHEN n = 2 THEN paid_at END) AS last2, MAX(CASE WHEN n = 3 THEN paid_at END) AS last3
    FROM (
        SELECT member_id, paid_at, ROW_NUMBER() OVER (PARTITION BY member_id ORDER BY paid_at DESC, id DESC) AS n
        FROM orders WHERE status IN ('paid', 'shipped', 'completed') AND refund_state <> 'refunded'
    ) o
    WHERE n BETWEEN 2 AND 3
    GROUP BY member_id
) k ON k.member_id = s.member_id
SET s.last2_paid_at = k.last2, s.last3_paid_at = k.last3;
