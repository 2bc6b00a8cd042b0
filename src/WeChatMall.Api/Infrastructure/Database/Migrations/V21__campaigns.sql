-- Campaigns (issue #18): subscribe-message credits, the template registry, campaigns, their recipients and events.
-- Owned by Features/Campaigns. Times are UTC. Every statement is re-runnable (MariaDB DDL commits implicitly).

-- Every credit grant or spend of member_subscribe_credits (created by V15), keyed so that a retried callback or a
-- repeated POST /api/me/subscribe-results changes the balance once.
CREATE TABLE IF NOT EXISTS subscribe_credit_events (
    id               BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    idempotency_key  VARCHAR(191)  NOT NULL COLLATE utf8mb4_bin,
    member_id        BIGINT        NOT NULL,
    template_id      VARCHAR(64)   NOT NULL COLLATE utf8mb4_bin,
    delta            INT           NOT NULL,
    reason           VARCHAR(32)   NOT NULL,                  -- popup_accept | client_accept | send | send_refund | refused_43101
    created_at       DATETIME(3)   NOT NULL,
    UNIQUE KEY ux_subscribe_credit_events_key (idempotency_key),
    KEY ix_subscribe_credit_events_member (member_id, template_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Templates as WeChat lists them: kind = oa (template messages) | subscribe (mini-program subscribe messages).
-- fields: JSON array of keyword names such as ["thing1","time2"] parsed from the template's content.
CREATE TABLE IF NOT EXISTS campaign_templates (
    kind         VARCHAR(16)   NOT NULL,
    template_id  VARCHAR(64)   NOT NULL COLLATE utf8mb4_bin,
    title        VARCHAR(128)  NOT NULL,
    content      TEXT          NOT NULL,
    fields       LONGTEXT      NOT NULL CHECK (JSON_VALID(fields)),
    synced_at    DATETIME(3)   NOT NULL,
    PRIMARY KEY (kind, template_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- status: draft | awaiting_approval | scheduled | running | paused | parked | completed | cancelled (CampaignTransitions).
-- channels: JSON array, the fallback order per recipient. content: JSON per channel. Times UTC.
CREATE TABLE IF NOT EXISTS campaigns (
    id                BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name              VARCHAR(100)  NOT NULL,
    segment_id        BIGINT        NOT NULL,
    channels          VARCHAR(255)  NOT NULL CHECK (JSON_VALID(channels)),
    content           LONGTEXT      NOT NULL CHECK (JSON_VALID(content)),
    status            VARCHAR(20)   NOT NULL,
    send_at           DATETIME(3)   NULL,
    quiet_start       SMALLINT      NULL,                     -- minutes after 00:00 China time
    quiet_end         SMALLINT      NULL,
    attribution_days  INT           NOT NULL,
    audience_size     BIGINT        NULL,
    parked_until      DATETIME(3)   NULL,
    park_reason       VARCHAR(64)   NULL,
    approved_at       DATETIME(3)   NULL,
    started_at        DATETIME(3)   NULL,
    finished_at       DATETIME(3)   NULL,
    created_at        DATETIME(3)   NOT NULL,
    updated_at        DATETIME(3)   NOT NULL,
    KEY ix_campaigns_status (status, send_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS campaign_events (
    id           BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    campaign_id  BIGINT        NOT NULL,
    from_status  VARCHAR(20)   NULL,
    to_status    VARCHAR(20)   NOT NULL,
    note         VARCHAR(255)  NULL,
    created_at   DATETIME(3)   NOT NULL,
    KEY ix_campaign_events_campaign (campaign_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per frozen recipient. status: pending | claimed | sending | sent | skipped | failed (RecipientTransitions).
-- claim_token/claimed_until: the worker batch that holds the row; 'sending' is written just before the WeChat call.
CREATE TABLE IF NOT EXISTS campaign_recipients (
    campaign_id      BIGINT        NOT NULL,
    member_id        BIGINT        NOT NULL,
    status           VARCHAR(12)   NOT NULL,
    channel          VARCHAR(16)   NULL,
    reason           VARCHAR(32)   NULL,
    errcode          INT           NULL,
    attempts         INT           NOT NULL DEFAULT 0,
    next_attempt_at  DATETIME(3)   NOT NULL,
    claim_token      CHAR(32)      NULL,
    claimed_until    DATETIME(3)   NULL,
    wechat_msg_id    BIGINT        NULL,
    sent_at          DATETIME(3)   NULL,
    updated_at       DATETIME(3)   NOT NULL,
    PRIMARY KEY (campaign_id, member_id),
    KEY ix_campaign_recipients_due (campaign_id, status, next_attempt_at),
    KEY ix_campaign_recipients_claim (claim_token)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
