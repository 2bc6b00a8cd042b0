-- Followers of the Official Account: one row per openid, kept after unsubscribe (history and re-follow).
CREATE TABLE IF NOT EXISTS followers (
    id                   BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    openid               VARCHAR(64)  NOT NULL,
    state                VARCHAR(16)  NOT NULL,              -- subscribed | unsubscribed
    source_channel       VARCHAR(64)  NULL,                  -- parametric QR scene of the first follow
    last_channel         VARCHAR(64)  NULL,                  -- scene of the latest follow or scan
    nickname             VARCHAR(64)  NULL,
    first_subscribed_at  DATETIME(3)  NULL,                  -- all times UTC
    last_subscribed_at   DATETIME(3)  NULL,
    unsubscribed_at      DATETIME(3)  NULL,
    last_interaction_at  DATETIME(3)  NULL,
    created_at           DATETIME(3)  NOT NULL,
    updated_at           DATETIME(3)  NOT NULL,
    UNIQUE KEY ux_followers_openid (openid),
    KEY ix_followers_channel (source_channel)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every inbound message and event, once (dedup_key), for segmentation; pruned by retention.
CREATE TABLE IF NOT EXISTS follower_messages (
    id                 BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    dedup_key          VARCHAR(191)  NOT NULL,
    openid             VARCHAR(64)   NOT NULL,
    msg_type           VARCHAR(32)   NOT NULL,
    event              VARCHAR(64)   NULL,
    event_key          VARCHAR(255)  NULL,
    content            VARCHAR(1024) NULL,
    msg_id             BIGINT        NULL,
    wechat_created_at  DATETIME(3)   NOT NULL,
    received_at        DATETIME(3)   NOT NULL,
    UNIQUE KEY ux_follower_messages_dedup (dedup_key),
    KEY ix_follower_messages_openid (openid, received_at),
    KEY ix_follower_messages_received (received_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Merchant-configured auto-reply rules; replies are a JSON array of typed replies.
CREATE TABLE IF NOT EXISTS auto_reply_rules (
    id           BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name         VARCHAR(100)  NOT NULL,
    trigger_kind VARCHAR(16)   NOT NULL,                     -- keyword | subscribe | scan | click | default
    match_type   VARCHAR(16)   NULL,                         -- exact | contains | regex (keyword rules)
    pattern      VARCHAR(500)  NULL,                         -- keyword, regex, menu key or QR scene
    priority     INT           NOT NULL DEFAULT 0,
    enabled      TINYINT(1)    NOT NULL DEFAULT 1,
    valid_from   DATETIME(3)   NULL,
    valid_until  DATETIME(3)   NULL,
    reply_mode   VARCHAR(8)    NOT NULL DEFAULT 'random',    -- random | all
    replies      LONGTEXT      NOT NULL CHECK (JSON_VALID(replies)),
    created_at   DATETIME(3)   NOT NULL,
    updated_at   DATETIME(3)   NOT NULL,
    KEY ix_auto_reply_rules_trigger (trigger_kind, enabled, priority)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
