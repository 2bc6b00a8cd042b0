-- API tokens for integrations (issue #16): only the SHA-256 of the token is kept. Written only by Features/Operators/ApiTokenStore.
CREATE TABLE IF NOT EXISTS admin_api_tokens (
    id           BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name         VARCHAR(100)  NOT NULL,
    role         VARCHAR(16)   NOT NULL,
    token_hash   CHAR(64)      NOT NULL COLLATE ascii_bin,
    created_by   VARCHAR(100)  NOT NULL,
    created_at   DATETIME(6)   NOT NULL,
    expires_at   DATETIME(6)   NOT NULL,
    revoked_at   DATETIME(6)   NULL,
    UNIQUE KEY ux_admin_api_tokens_hash (token_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
