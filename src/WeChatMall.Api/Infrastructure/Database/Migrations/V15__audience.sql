-- Audience (issue #15, items 1-4): member stats, tags, segments, RFM. Owned by Features/Audience. Times are UTC.
-- Every statement is re-runnable: MariaDB DDL commits implicitly, so a half-applied script must be safe to retry.

-- One row per member (merged members have none), recomputed from the source tables inside the transaction that
-- changes them (MemberStats.RefreshAsync, called through IMemberActivity) and by the rebuild. Paid orders are orders in
-- paid/shipped/completed that are not fully refunded; net spend deducts every refund.
CREATE TABLE IF NOT EXISTS member_stats (
    member_id            BIGINT        NOT NULL PRIMARY KEY,
    first_paid_at        DATETIME(3)   NULL,
    last_paid_at         DATETIME(3)   NULL,
    paid_orders          INT           NOT NULL DEFAULT 0,
    net_spend_fen        BIGINT        NOT NULL DEFAULT 0,
    avg_order_fen        BIGINT        NOT NULL DEFAULT 0,             -- net_spend_fen / paid_orders, rounded down
    first_channel        VARCHAR(64)   NULL,                           -- QR scene of the member's first follow
    following            BOOL          NOT NULL DEFAULT FALSE,
    last_interaction_at  DATETIME(3)   NULL,                           -- latest message or event from the follower
    window_until         DATETIME(3)   NULL,                           -- customer-service messages allowed until
    marketplace_customer BOOL          NOT NULL DEFAULT FALSE,         -- has imported marketplace orders (marketplace_orders)
    rfm_group            VARCHAR(24)   NULL,                           -- NULL = never bought
    r_score              TINYINT       NOT NULL DEFAULT 0,             -- quintile scores 1..5, 0 = never bought
    f_score              TINYINT       NOT NULL DEFAULT 0,
    m_score              TINYINT       NOT NULL DEFAULT 0,
    updated_at           DATETIME(3)   NOT NULL,
    KEY ix_member_stats_last_paid (last_paid_at),
    KEY ix_member_stats_first_paid (first_paid_at),
    KEY ix_member_stats_spend (net_spend_fen),
    KEY ix_member_stats_orders (paid_orders),
    KEY ix_member_stats_rfm (rfm_group),
    KEY ix_member_stats_channel (first_channel),
    KEY ix_member_stats_following (following, last_interaction_at),
    KEY ix_member_stats_window (window_until)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Subscribe-message credits per member and template (one accepted one-time subscription = one send). No feature
-- adds credits yet (campaigns will, through SubscribeCredits); segments can already ask for them.
CREATE TABLE IF NOT EXISTS member_subscribe_credits (
    member_id    BIGINT        NOT NULL,
    template_id  VARCHAR(64)   NOT NULL COLLATE utf8mb4_bin,
    credits      INT           NOT NULL DEFAULT 0 CHECK (credits >= 0),
    updated_at   DATETIME(3)   NOT NULL,
    PRIMARY KEY (member_id, template_id),
    KEY ix_member_subscribe_credits_template (template_id, credits)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Tags: manual (an operator puts them on members) or rule (a segment rule tree; membership kept by TagRules).
-- wechat_tag_id: the WeChat user tag this tag is synced to, if any.
CREATE TABLE IF NOT EXISTS audience_tags (
    id             BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name           VARCHAR(30)   NOT NULL,
    kind           VARCHAR(8)    NOT NULL,                     -- manual | rule
    rule           LONGTEXT      NULL CHECK (rule IS NULL OR JSON_VALID(rule)),
    wechat_tag_id  BIGINT        NULL,
    synced_at      DATETIME(3)   NULL,
    created_at     DATETIME(3)   NOT NULL,
    updated_at     DATETIME(3)   NOT NULL,
    UNIQUE KEY ux_audience_tags_name (name),
    KEY ix_audience_tags_kind (kind)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS member_tags (
    member_id   BIGINT        NOT NULL,
    tag_id      BIGINT        NOT NULL,
    created_at  DATETIME(3)   NOT NULL,
    PRIMARY KEY (member_id, tag_id),
    KEY ix_member_tags_tag (tag_id, member_id),
    CONSTRAINT fk_member_tags_tag FOREIGN KEY (tag_id) REFERENCES audience_tags (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Which followers we put under which WeChat user tag (WeChatTagSync), so a re-sync only sends the difference and the
-- 20-tags-per-user limit is checked before WeChat refuses a whole batch.
CREATE TABLE IF NOT EXISTS wechat_user_tags (
    openid         VARCHAR(64)   NOT NULL COLLATE utf8mb4_bin,
    wechat_tag_id  BIGINT        NOT NULL,
    tagged_at      DATETIME(3)   NOT NULL,
    PRIMARY KEY (openid, wechat_tag_id),
    KEY ix_wechat_user_tags_tag (wechat_tag_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Saved segments: a rule tree (docs/audience.md) that campaigns target.
CREATE TABLE IF NOT EXISTS audience_segments (
    id          BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name        VARCHAR(100)  NOT NULL,
    rule        LONGTEXT      NOT NULL CHECK (JSON_VALID(rule)),
    created_at  DATETIME(3)   NOT NULL,
    updated_at  DATETIME(3)   NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- RFM thresholds: the merchant's (NULL = the average over buyers) and what the last rebuild computed (averages and
-- quintile cut points, JSON). One row, id = 1.
CREATE TABLE IF NOT EXISTS rfm_settings (
    id                 TINYINT       NOT NULL PRIMARY KEY,
    r_days             DOUBLE        NULL,
    f_orders           DOUBLE        NULL,
    m_fen              DOUBLE        NULL,
    computed           LONGTEXT      NULL CHECK (computed IS NULL OR JSON_VALID(computed)),
    computed_at        DATETIME(3)   NULL,
    updated_at         DATETIME(3)   NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Rebuilds started from the admin API, with progress.
CREATE TABLE IF NOT EXISTS audience_rebuilds (
    id           BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    status       VARCHAR(16)   NOT NULL,                       -- running | succeeded | failed
    processed    BIGINT        NOT NULL DEFAULT 0,
    total        BIGINT        NOT NULL DEFAULT 0,
    error        VARCHAR(512)  NULL,
    started_at   DATETIME(3)   NOT NULL,
    finished_at  DATETIME(3)   NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Stats rows for the members that exist already (the rebuild fills them in).
INSERT IGNORE INTO member_stats (member_id, updated_at) SELECT id, UTC_TIMESTAMP(3) FROM members WHERE merged_into IS NULL;
