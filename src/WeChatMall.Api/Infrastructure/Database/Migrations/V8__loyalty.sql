-- Loyalty (issue #7, remainder): credit lots for expiry, lifetime counters, referrals, tiers. Times are UTC.
-- Every statement is re-runnable: MariaDB DDL commits implicitly, so a half-applied script must be safe to retry.

-- One row per credit: what is left of it. PointsLedger opens a lot for every credit and makes every debit consume
-- lots oldest first (earned_at, id), in the same transaction, so SUM(remaining) of a member's lots = points_balance.
-- The expiry policy is applied to earned_at when the expiry job runs (see PointsExpiryPolicy); a merge re-points lots.
CREATE TABLE IF NOT EXISTS points_lots (
    id          BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    member_id   BIGINT        NOT NULL,
    ledger_id   BIGINT        NULL,                          -- the credit that opened it; NULL = opening balance (V8)
    points      BIGINT        NOT NULL CHECK (points > 0),
    remaining   BIGINT        NOT NULL CHECK (remaining >= 0),
    earned_at   DATETIME(3)   NOT NULL,
    KEY ix_points_lots_member (member_id, earned_at, id),
    KEY ix_points_lots_earned (earned_at, remaining),
    CONSTRAINT fk_points_lots_member FOREIGN KEY (member_id) REFERENCES members (id),
    CONSTRAINT ck_points_lots_remaining CHECK (remaining <= points)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Balances that existed before lots: one opening lot each, earned now (so nothing expires the day this ships).
INSERT INTO points_lots (member_id, ledger_id, points, remaining, earned_at)
SELECT m.id, NULL, m.points_balance, m.points_balance, UTC_TIMESTAMP(3)
FROM members m
WHERE m.points_balance > 0 AND NOT EXISTS (SELECT 1 FROM points_lots l WHERE l.member_id = m.id);

-- Lifetime counters for tiers (kept by Loyalty in the paid/refund transaction), the referral link, the first paid order.
ALTER TABLE members ADD COLUMN IF NOT EXISTS lifetime_spend_fen BIGINT NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN IF NOT EXISTS lifetime_points_earned BIGINT NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN IF NOT EXISTS referrer_id BIGINT NULL;
ALTER TABLE members ADD COLUMN IF NOT EXISTS referred_at DATETIME(3) NULL;
ALTER TABLE members ADD COLUMN IF NOT EXISTS first_paid_order_no VARCHAR(32) NULL COLLATE utf8mb4_bin;
ALTER TABLE members ADD INDEX IF NOT EXISTS ix_members_referrer (referrer_id);
ALTER TABLE members ADD CONSTRAINT fk_members_referrer FOREIGN KEY IF NOT EXISTS (referrer_id) REFERENCES members (id);

-- What loyalty did for one paid order ("paid:<orderNo>") or one refund ("refund:<outRefundNo>"): inserted first in
-- the caller's transaction, so a second or concurrent call waits on the key and then does nothing.
CREATE TABLE IF NOT EXISTS loyalty_effects (
    effect_key     VARCHAR(64)   NOT NULL COLLATE utf8mb4_bin PRIMARY KEY,
    member_id      BIGINT        NOT NULL,
    points         BIGINT        NOT NULL,                   -- points earned (paid) or reversed (refund)
    new_tier_code  VARCHAR(32)   NULL,
    created_at     DATETIME(3)   NOT NULL,
    KEY ix_loyalty_effects_member (member_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Merchant-defined tiers. A member qualifies when lifetime spend >= min_spend_fen or lifetime points earned >=
-- min_points_earned (a NULL threshold is not used); the qualifying tier with the highest rank wins. members.tier holds code.
CREATE TABLE IF NOT EXISTS member_tiers (
    id                         BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    code                       VARCHAR(32)   NOT NULL COLLATE utf8mb4_bin,
    name                       VARCHAR(64)   NOT NULL,
    tier_rank                  INT           NOT NULL,
    min_spend_fen              BIGINT        NULL CHECK (min_spend_fen IS NULL OR min_spend_fen >= 0),
    min_points_earned          BIGINT        NULL CHECK (min_points_earned IS NULL OR min_points_earned >= 0),
    discount_basis_points      INT           NOT NULL DEFAULT 0 CHECK (discount_basis_points BETWEEN 0 AND 5000),
    points_multiplier_percent  INT           NOT NULL DEFAULT 100 CHECK (points_multiplier_percent BETWEEN 100 AND 1000),
    created_at                 DATETIME(3)   NOT NULL,
    updated_at                 DATETIME(3)   NOT NULL,
    UNIQUE KEY ux_member_tiers_code (code),
    UNIQUE KEY ux_member_tiers_rank (tier_rank)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
