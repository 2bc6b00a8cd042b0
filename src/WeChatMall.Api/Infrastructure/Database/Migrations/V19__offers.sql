-- Offers (issue #19): coupons, daily sign-in, the points mall and lucky draws. Times are UTC; a sign-in day is the
-- China calendar date. Every statement is re-runnable: MariaDB DDL commits implicitly.

-- A coupon template. issued is taken by a conditional UPDATE (issued < total_stock), so stock never oversells.
CREATE TABLE IF NOT EXISTS coupon_templates (
    id                    BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    title                 VARCHAR(64)   NOT NULL,
    description           VARCHAR(500)  NOT NULL DEFAULT '',
    terms                 VARCHAR(2000) NOT NULL DEFAULT '',
    kind                  VARCHAR(16)   NOT NULL,             -- amount_off | percent_off
    amount_off_fen        BIGINT        NOT NULL DEFAULT 0,
    percent_off           INT           NOT NULL DEFAULT 0,     -- 15 = 15 % off (pay 85 %)
    max_discount_fen      BIGINT        NULL,
    threshold_fen         BIGINT        NOT NULL DEFAULT 0,     -- 0 = no threshold (无门槛)
    scope                 VARCHAR(16)   NOT NULL DEFAULT 'all', -- all | products | categories
    scope_ids             JSON          NOT NULL,
    excluded_product_ids  JSON          NOT NULL,
    valid_from            DATETIME(3)   NULL,
    valid_to              DATETIME(3)   NULL,
    valid_days            INT           NULL,                   -- N days after receipt, instead of fixed dates
    total_stock           INT           NULL,                   -- NULL = unlimited
    issued                INT           NOT NULL DEFAULT 0,
    per_member_limit      INT           NOT NULL DEFAULT 1,
    audience              VARCHAR(16)   NOT NULL DEFAULT 'all', -- all | tiers | new_members
    audience_tiers        JSON          NOT NULL,
    combinable_with_tier  BOOL          NOT NULL DEFAULT TRUE,
    claimable             BOOL          NOT NULL DEFAULT TRUE,  -- shown in the coupon centre
    redeem_code           VARCHAR(32)   NULL COLLATE utf8mb4_bin,
    gift_on_paid_from_fen BIGINT        NULL,                   -- 满额赠: granted when a paid order reaches this
    active                BOOL          NOT NULL DEFAULT TRUE,
    created_at            DATETIME(3)   NOT NULL,
    updated_at            DATETIME(3)   NOT NULL,
    UNIQUE KEY ux_coupon_templates_code (redeem_code),
    CHECK (total_stock IS NULL OR issued <= total_stock)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A coupon a member holds. (template_id, member_id, seq) is unique and seq <= per_member_limit, so two concurrent
-- claims of one member cannot both take the same place: the per-member limit holds by the key, not by a read.
CREATE TABLE IF NOT EXISTS member_coupons (
    id             BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    template_id    BIGINT        NOT NULL,
    member_id      BIGINT        NOT NULL,
    seq            INT           NOT NULL,
    status         VARCHAR(16)   NOT NULL,                     -- available | locked | used | expired
    source         VARCHAR(16)   NOT NULL,
    source_ref     VARCHAR(64)   NULL,
    valid_from     DATETIME(3)   NOT NULL,
    valid_to       DATETIME(3)   NOT NULL,
    order_no       VARCHAR(32)   NULL,                         -- the order it was last locked with
    discount_fen   BIGINT        NOT NULL DEFAULT 0,
    used_at        DATETIME(3)   NULL,
    created_at     DATETIME(3)   NOT NULL,
    updated_at     DATETIME(3)   NOT NULL,
    UNIQUE KEY ux_member_coupons_seq (template_id, member_id, seq),
    KEY ix_member_coupons_member (member_id, status),
    KEY ix_member_coupons_order (order_no),
    KEY ix_member_coupons_expiry (status, valid_to),
    CONSTRAINT fk_member_coupons_template FOREIGN KEY (template_id) REFERENCES coupon_templates (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS coupon_events (
    id          BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    coupon_id   BIGINT        NOT NULL,
    from_status VARCHAR(16)   NULL,
    to_status   VARCHAR(16)   NOT NULL,
    order_no    VARCHAR(32)   NULL,
    note        VARCHAR(128)  NULL,
    created_at  DATETIME(3)   NOT NULL,
    KEY ix_coupon_events_coupon (coupon_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The coupon discount of an order (after the tier discount, before points); written by OrderStore.
ALTER TABLE orders ADD COLUMN IF NOT EXISTS coupon_fen BIGINT NOT NULL DEFAULT 0;

-- One sign-in per member per China calendar day: the primary key is the guard, not a read.
CREATE TABLE IF NOT EXISTS sign_ins (
    member_id      BIGINT       NOT NULL,
    day            DATE         NOT NULL,
    streak         INT          NOT NULL,
    cycle_day      INT          NOT NULL,
    reward_points  BIGINT       NOT NULL DEFAULT 0,
    reward_coupon_id BIGINT     NULL,
    reward_chances INT          NOT NULL DEFAULT 0,
    created_at     DATETIME(3)  NOT NULL,
    PRIMARY KEY (member_id, day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS mall_items (
    id                BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    title             VARCHAR(64)  NOT NULL,
    kind              VARCHAR(16)  NOT NULL,                  -- coupon | product
    coupon_template_id BIGINT      NULL,
    sku_id            BIGINT       NULL,
    points_price      BIGINT       NOT NULL,
    per_member_limit  INT          NOT NULL DEFAULT 1,
    active            BOOL         NOT NULL DEFAULT TRUE,
    created_at        DATETIME(3)  NOT NULL,
    updated_at        DATETIME(3)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- (item_id, member_id, seq) unique with seq <= per_member_limit: the per-member limit of the mall, by key.
CREATE TABLE IF NOT EXISTS mall_exchanges (
    id                BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    item_id           BIGINT       NOT NULL,
    member_id         BIGINT       NOT NULL,
    seq               INT          NOT NULL,
    points            BIGINT       NOT NULL,
    member_coupon_id  BIGINT       NULL,
    sku_id            BIGINT       NULL,
    address           JSON         NULL,
    status            VARCHAR(16)  NOT NULL,                  -- done (coupon) | to_ship | shipped (product)
    created_at        DATETIME(3)  NOT NULL,
    UNIQUE KEY ux_mall_exchanges_seq (item_id, member_id, seq),
    KEY ix_mall_exchanges_member (member_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS draws (
    id                BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    title             VARCHAR(64)  NOT NULL,
    daily_limit       INT          NOT NULL DEFAULT 3,        -- draws per member per China day
    points_per_draw   BIGINT       NOT NULL DEFAULT 0,        -- > 0: a member without a chance may pay points
    starts_at         DATETIME(3)  NULL,
    ends_at           DATETIME(3)  NULL,
    active            BOOL         NOT NULL DEFAULT TRUE,
    created_at        DATETIME(3)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- won is taken by a conditional UPDATE (won < stock): a prize is never given more often than its stock.
CREATE TABLE IF NOT EXISTS draw_prizes (
    id                BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    draw_id           BIGINT       NOT NULL,
    title             VARCHAR(64)  NOT NULL,
    kind              VARCHAR(16)  NOT NULL,                  -- points | coupon | none (thanks for taking part)
    points            BIGINT       NOT NULL DEFAULT 0,
    coupon_template_id BIGINT      NULL,
    weight            INT          NOT NULL,
    stock             INT          NULL,
    won               INT          NOT NULL DEFAULT 0,
    KEY ix_draw_prizes_draw (draw_id),
    CHECK (stock IS NULL OR won <= stock)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS draw_chances (
    member_id  BIGINT NOT NULL PRIMARY KEY,
    chances    INT    NOT NULL DEFAULT 0 CHECK (chances >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS draw_days (
    draw_id    BIGINT NOT NULL,
    member_id  BIGINT NOT NULL,
    day        DATE   NOT NULL,
    draws      INT    NOT NULL DEFAULT 0,
    PRIMARY KEY (draw_id, member_id, day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every draw, with its seed and the prize table it was drawn against, so anyone can recompute the outcome.
CREATE TABLE IF NOT EXISTS draw_records (
    id            BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    draw_id       BIGINT        NOT NULL,
    member_id     BIGINT        NOT NULL,
    seed          CHAR(64)      NOT NULL,
    roll          BIGINT        NOT NULL,
    total_weight  BIGINT        NOT NULL,
    prize_table   JSON          NOT NULL,
    picked_prize_id BIGINT      NULL,
    prize_id      BIGINT        NULL,                          -- NULL: nothing won (thanks, or the picked prize ran out)
    outcome       VARCHAR(16)   NOT NULL,                      -- won | thanks | sold_out
    paid_with     VARCHAR(16)   NOT NULL,                      -- chance | points
    member_coupon_id BIGINT     NULL,
    created_at    DATETIME(3)   NOT NULL,
    KEY ix_draw_records_draw (draw_id, id),
    KEY ix_draw_records_member (member_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
