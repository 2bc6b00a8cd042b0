-- Repurchase of a period that ends today, at any size (issue #15, scale): each buyer's last and second-to-last
-- purchase, and how many buyers have them on each China day. Buyers with a purchase since day F = the buyers whose
-- last purchase is on or after F; those with two or more = the buyers whose second-to-last one is. Summing one row
-- per day replaces grouping every buyer-day of the period. Kept by MetricsRollup with the other rollups.
ALTER TABLE metrics_customers
    ADD COLUMN IF NOT EXISTS prev_paid_at DATETIME(3) NULL AFTER last_paid_at,
    ADD COLUMN IF NOT EXISTS last_paid_day DATE NULL AFTER prev_paid_at,
    ADD COLUMN IF NOT EXISTS prev_paid_day DATE NULL AFTER last_paid_day;

CREATE INDEX IF NOT EXISTS ix_metrics_customers_last_day ON metrics_customers (last_paid_day);
CREATE INDEX IF NOT EXISTS ix_metrics_customers_prev_day ON metrics_customers (prev_paid_day);

CREATE TABLE IF NOT EXISTS metrics_recency_days (
    day          DATE  NOT NULL PRIMARY KEY,
    last_buyers  INT   NOT NULL,
    prev_buyers  INT   NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Rows written before these columns existed lack them: the next pass rebuilds every rollup (no 'pass' watermark).
DELETE FROM metrics_state WHERE name = 'pass';
