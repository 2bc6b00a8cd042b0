-- Outbox: messages to WeChat written in the same transaction as the state change that causes them and sent
-- by a background worker with retries; several instances claim rows safely (locked_by / locked_until).
CREATE TABLE IF NOT EXISTS outbox_messages (
    id               BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    kind             VARCHAR(64)   NOT NULL,                 -- e.g. wechat.custom_message
    idempotency_key  VARCHAR(191)  NOT NULL,                 -- the same cause never queues twice
    payload          LONGTEXT      NOT NULL CHECK (JSON_VALID(payload)),
    status           VARCHAR(16)   NOT NULL,                 -- pending | sent | dead
    attempts         INT           NOT NULL DEFAULT 0,
    next_attempt_at  DATETIME(3)   NOT NULL,
    locked_by        VARCHAR(64)   NULL,
    locked_until     DATETIME(3)   NULL,
    last_error       VARCHAR(1000) NULL,
    created_at       DATETIME(3)   NOT NULL,
    sent_at          DATETIME(3)   NULL,
    UNIQUE KEY ux_outbox_idempotency (idempotency_key),
    KEY ix_outbox_due (status, next_attempt_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
