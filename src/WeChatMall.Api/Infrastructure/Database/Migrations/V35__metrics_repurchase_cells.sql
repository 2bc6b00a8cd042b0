-- Repurchase of a period that ended before today, at any size (issue #15, scale). Each buyer-day row learns the
-- buyer's previous and next buyer-day; metrics_repurchase_cells counts rows by pairs of those days, so a period's
-- buyers and repeat buyers are sums over at most (days of the period)² small rows instead of a grouping of every
-- buyer-day in it (docs/metrics.md explains the counting). Kept by MetricsRollup with the other rollups.
ALTER TABLE metrics_customer_days
    ADD COLUMN IF NOT EXISTS prev_day DATE NULL AFTER net_fen,
    ADD COLUMN IF NOT EXISTS next_day DATE NULL AFTER prev_day;

CREATE INDEX IF NOT EXISTS ix_metrics_customer_days_prev ON metrics_customer_days (prev_day, orders, day, next_day);

-- kind: 'DN' every buyer-day by (day, next buyer-day), 'DN2' the same for days with two orders or more,
-- 'PD1' one-order days by (previous buyer-day, day), 'PN1' one-order days by (previous, next buyer-day).
-- A missing next buyer-day is stored as 9999-12-31.
CREATE TABLE IF NOT EXISTS metrics_repurchase_cells (
    kind  CHAR(3)  NOT NULL,
    x     DATE     NOT NULL,
    y     DATE     NOT NULL,
    buyer_days INT NOT NULL,
    PRIMARY KEY (kind, x, y)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Rows written before these columns existed lack them: the next pass rebuilds every rollup (no 'pass' watermark).
DELETE FROM metrics_state WHERE name = 'pass';
