-- Mass send (群发, issue #18): one row per call to message/mass/send or message/mass/sendall, the per-follower
-- monthly counter of WeChat's 4-per-month rule, and the MASSSENDJOBFINISH results. Owned by Features/Campaigns/Mass.
-- Times are UTC. Every statement is re-runnable (MariaDB DDL commits implicitly).

-- status: sending (written before the call; a lapsed lease means a worker died and the call is repeated with the same
-- client_msg_id) | submitted (WeChat accepted it) | returned (not accepted: the recipients went back to pending) |
-- failed (WeChat refused it for good).
CREATE TABLE IF NOT EXISTS campaign_mass_jobs (
    id             BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    campaign_id    BIGINT        NOT NULL,
    client_msg_id  VARCHAR(64)   NOT NULL COLLATE utf8mb4_bin,
    tag_id         BIGINT        NULL,                     -- sendall by WeChat tag; NULL = send to the recipients' openids
    recipients     INT           NOT NULL,
    month          CHAR(7)       NOT NULL,                 -- the China month its recipients were counted in
    status         VARCHAR(12)   NOT NULL,
    attempts       INT           NOT NULL DEFAULT 0,
    lease_until    DATETIME(3)   NOT NULL,
    msg_id         BIGINT        NULL,
    msg_data_id    BIGINT        NULL,
    errcode        INT           NULL,
    created_at     DATETIME(3)   NOT NULL,
    updated_at     DATETIME(3)   NOT NULL,
    UNIQUE KEY ux_campaign_mass_jobs_client (client_msg_id),
    KEY ix_campaign_mass_jobs_campaign (campaign_id, status, lease_until),
    KEY ix_campaign_mass_jobs_msg (msg_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Mass messages each follower was sent in a China calendar month (month = 'yyyy-MM' in China time).
CREATE TABLE IF NOT EXISTS mass_monthly_counts (
    openid  VARCHAR(64)  NOT NULL COLLATE utf8mb4_bin,
    month   CHAR(7)      NOT NULL,
    sent    INT          NOT NULL,
    PRIMARY KEY (openid, month)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- MASSSENDJOBFINISH as WeChat reported it, keyed by msg_id (the first report wins: a retried callback changes nothing).
-- Kept apart from the job so a report that arrives before the job recorded its msg_id is not lost.
CREATE TABLE IF NOT EXISTS campaign_mass_results (
    msg_id        BIGINT        NOT NULL PRIMARY KEY,
    status        VARCHAR(64)   NOT NULL,
    total_count   BIGINT        NOT NULL,
    filter_count  BIGINT        NOT NULL,
    sent_count    BIGINT        NOT NULL,
    error_count   BIGINT        NOT NULL,
    received_at   DATETIME(3)   NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
