-- Merchant operators (issue #16): people who sign in to /admin and the console. Written only by Features/Operators/OperatorStore.
CREATE TABLE IF NOT EXISTS operators (
    id                   BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    username             VARCHAR(64)   NOT NULL COLLATE utf8mb4_bin,
    display_name         VARCHAR(100)  NOT NULL,
    role                 VARCHAR(16)   NOT NULL,
    password_hash        VARCHAR(100)  NOT NULL,
    disabled             BOOL          NOT NULL DEFAULT FALSE,
    -- TOTP (RFC 6238) shared secret, base32; totp_pending_secret waits for the first code before it counts.
    totp_secret          VARCHAR(64)   NULL,
    totp_pending_secret  VARCHAR(64)   NULL,
    -- The last 30-second step a code was accepted for: a code is good once (no replay within its window).
    totp_last_step       BIGINT        NULL,
    created_at           DATETIME(6)   NOT NULL,
    updated_at           DATETIME(6)   NOT NULL,
    UNIQUE KEY ux_operators_username (username)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
