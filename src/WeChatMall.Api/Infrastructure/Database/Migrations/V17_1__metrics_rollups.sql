-- The merchant's numbers (issue #15, item 7): daily rollups kept incrementally by MetricsRollup (see docs/metrics.md).
-- Days are China days (UTC+8); money is BIGINT fen net of refunds. Every statement is re-runnable.

-- Watermarks of the incremental pass (name = the source it follows).
CREATE TABLE IF NOT EXISTS metrics_state (
    name        VARCHAR(32)   NOT NULL PRIMARY KEY,
    watermark   DATETIME(3)   NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per China day.
CREATE TABLE IF NOT EXISTS metrics_daily (
    day                          DATE    NOT NULL PRIMARY KEY,
    new_members                  INT     NOT NULL DEFAULT 0,
    new_followers                INT     NOT NULL DEFAULT 0,
    lost_followers               INT     NOT NULL DEFAULT 0,
    paid_orders                  INT     NOT NULL DEFAULT 0,
    buyers                       INT     NOT NULL DEFAULT 0,
    revenue_fen                  BIGINT  NOT NULL DEFAULT 0,
    imported_orders              INT     NOT NULL DEFAULT 0,
    imported_revenue_fen         BIGINT  NOT NULL DEFAULT 0,
    imported_member_revenue_fen  BIGINT  NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per (China day, buyer) with a paid own-channel order that day: the repurchase rate of any period.
CREATE TABLE IF NOT EXISTS metrics_customer_days (
    day        DATE    NOT NULL,
    member_id  BIGINT  NOT NULL,
    orders     INT     NOT NULL,
    net_fen    BIGINT  NOT NULL,
    PRIMARY KEY (day, member_id),
    KEY ix_metrics_customer_days_member (member_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per buyer with at least one paid order not fully refunded: lifetime value and the windows after the first one.
CREATE TABLE IF NOT EXISTS metrics_customers (
    member_id       BIGINT       NOT NULL PRIMARY KEY,
    first_paid_at   DATETIME(3)  NOT NULL,
    first_paid_day  DATE         NOT NULL,
    second_paid_at  DATETIME(3)  NULL,
    last_paid_at    DATETIME(3)  NOT NULL,
    paid_orders     INT          NOT NULL,
    net_fen         BIGINT       NOT NULL,
    net_30_fen      BIGINT       NOT NULL,
    net_90_fen      BIGINT       NOT NULL,
    net_180_fen     BIGINT       NOT NULL,
    net_365_fen     BIGINT       NOT NULL,
    KEY ix_metrics_customers_cohort (first_paid_day),
    KEY ix_metrics_customers_net (net_fen, member_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per first-purchase day (cohort): repeat buyers within 30/60/90 days, spend within 30/90/180/365 days, and
-- the lifetime value distribution (ltv_b0..b7: buyers whose net spend falls in each bucket of docs/metrics.md).
CREATE TABLE IF NOT EXISTS metrics_cohorts (
    cohort_day    DATE    NOT NULL PRIMARY KEY,
    customers     INT     NOT NULL,
    repeat_30     INT     NOT NULL,
    repeat_60     INT     NOT NULL,
    repeat_90     INT     NOT NULL,
    net_30_fen    BIGINT  NOT NULL,
    net_90_fen    BIGINT  NOT NULL,
    net_180_fen   BIGINT  NOT NULL,
    net_365_fen   BIGINT  NOT NULL,
    net_fen       BIGINT  NOT NULL,
    ltv_b0        INT     NOT NULL,
    ltv_b1        INT     NOT NULL,
    ltv_b2        INT     NOT NULL,
    ltv_b3        INT     NOT NULL,
    ltv_b4        INT     NOT NULL,
    ltv_b5        INT     NOT NULL,
    ltv_b6        INT     NOT NULL,
    ltv_b7        INT     NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- What the incremental pass looks things up by (rows changed since the watermark, rows of a day).
CREATE INDEX IF NOT EXISTS ix_orders_updated ON orders (updated_at);
CREATE INDEX IF NOT EXISTS ix_orders_paid ON orders (paid_at);
CREATE INDEX IF NOT EXISTS ix_members_created ON members (created_at);
CREATE INDEX IF NOT EXISTS ix_members_merged ON members (merged_at);
CREATE INDEX IF NOT EXISTS ix_followers_updated ON followers (updated_at);
CREATE INDEX IF NOT EXISTS ix_followers_first_subscribed ON followers (first_subscribed_at);
CREATE INDEX IF NOT EXISTS ix_followers_unsubscribed ON followers (unsubscribed_at);
