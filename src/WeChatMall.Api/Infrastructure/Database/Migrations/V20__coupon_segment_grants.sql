-- Granting a coupon to a segment (issue #19): a run, and its recipients frozen from the segment. A recipient row moves
-- pending → issued | refused once, in the transaction that issues its coupon, so a crash or a second instance never
-- issues twice and never skips one. Re-runnable: MariaDB DDL commits implicitly.
CREATE TABLE IF NOT EXISTS coupon_grant_runs (
    id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    template_id  BIGINT       NOT NULL,
    segment_id   BIGINT       NOT NULL,
    status       VARCHAR(16)  NOT NULL,           -- freezing | issuing | done
    frozen       INT          NOT NULL DEFAULT 0, -- recipients frozen so far
    requested_by VARCHAR(100) NOT NULL,
    created_at   DATETIME(3)  NOT NULL,
    updated_at   DATETIME(3)  NOT NULL,
    finished_at  DATETIME(3)  NULL,
    KEY ix_coupon_grant_runs_status (status, id),
    KEY ix_coupon_grant_runs_template (template_id, id),
    CONSTRAINT fk_coupon_grant_runs_template FOREIGN KEY (template_id) REFERENCES coupon_templates (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS coupon_grant_recipients (
    run_id           BIGINT      NOT NULL,
    member_id        BIGINT      NOT NULL,
    status           VARCHAR(16) NOT NULL DEFAULT 'pending', -- pending | issued | refused
    code             VARCHAR(40) NULL,                       -- why a refusal (COUPON_SOLD_OUT, COUPON_LIMIT_REACHED, …)
    member_coupon_id BIGINT      NULL,
    done_at          DATETIME(3) NULL,
    PRIMARY KEY (run_id, member_id),
    KEY ix_coupon_grant_recipients_pending (run_id, status, member_id),
    CONSTRAINT fk_coupon_grant_recipients_run FOREIGN KEY (run_id) REFERENCES coupon_grant_runs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
