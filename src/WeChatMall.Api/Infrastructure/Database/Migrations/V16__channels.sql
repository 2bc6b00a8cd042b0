-- Channels (issue #15): parametric QR codes, what they brought in, and the follower import. Times are UTC.
-- Every statement is re-runnable: MariaDB DDL commits implicitly, so a half-applied script must be safe to retry.

-- scene is the QR scene_str (1..64 chars) WeChat echoes in subscribe (qrscene_<scene>) and SCAN events.
CREATE TABLE IF NOT EXISTS channels (
    id              BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name            VARCHAR(64)   NOT NULL,
    kind            VARCHAR(16)   NOT NULL,                  -- parcel_insert | store | event | ad | staff
    scene           VARCHAR(64)   NOT NULL COLLATE utf8mb4_bin,
    permanent       BOOL          NOT NULL,
    ticket          VARCHAR(255)  NOT NULL,
    qr_url          VARCHAR(255)  NOT NULL,                  -- the content WeChat encodes in the QR image
    expires_at      DATETIME(3)   NULL,                      -- temporary codes only
    created_at      DATETIME(3)   NOT NULL,
    UNIQUE KEY ux_channels_scene (scene)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every scan of a channel's code: a subscribe through it or a SCAN by a follower. dedup_key is the callback's,
-- so a WeChat retry is counted once.
CREATE TABLE IF NOT EXISTS channel_scans (
    id           BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    dedup_key    VARCHAR(191)  NOT NULL,
    channel_id   BIGINT        NOT NULL,
    openid       VARCHAR(64)   NOT NULL COLLATE utf8mb4_bin,
    kind         VARCHAR(16)   NOT NULL,                     -- subscribe | scan
    scanned_at   DATETIME(3)   NOT NULL,
    UNIQUE KEY ux_channel_scans_dedup (dedup_key),
    KEY ix_channel_scans_channel (channel_id, scanned_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- First touch: the channel whose code a follower first followed through, once per openid (the primary key).
CREATE TABLE IF NOT EXISTS channel_followers (
    openid       VARCHAR(64)   NOT NULL COLLATE utf8mb4_bin PRIMARY KEY,
    channel_id   BIGINT        NOT NULL,
    followed_at  DATETIME(3)   NOT NULL,
    KEY ix_channel_followers_channel (channel_id, followed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Follower import runs (user/get + user/info/batchget). The cursor is the next_openid that fetched the page being
-- imported and page_last_openid the last of its openids already in; both move in the transaction that imports them.
-- running_guard makes "one running run at a time" a unique key.
CREATE TABLE IF NOT EXISTS follower_sync_runs (
    id            BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    status        VARCHAR(16)   NOT NULL,                    -- running | completed
    cursor_openid VARCHAR(64)   NOT NULL DEFAULT '' COLLATE utf8mb4_bin,
    page_last_openid VARCHAR(64) NULL COLLATE utf8mb4_bin,
    total         BIGINT        NULL,                        -- WeChat's follower total, from the first page
    imported      BIGINT        NOT NULL DEFAULT 0,
    pages         INT           NOT NULL DEFAULT 0,
    failures      INT           NOT NULL DEFAULT 0,
    last_error    VARCHAR(255)  NULL,
    started_at    DATETIME(3)   NOT NULL,
    updated_at    DATETIME(3)   NOT NULL,
    finished_at   DATETIME(3)   NULL,
    running_guard TINYINT       AS (IF(status = 'running', 1, NULL)) PERSISTENT,
    UNIQUE KEY ux_follower_sync_runs_running (running_guard)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
