-- Audit log of every admin write (issue #16): append-only, written only by Features/Operators/AuditStore.
CREATE TABLE IF NOT EXISTS admin_audit (
    id            BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    occurred_at   DATETIME(6)   NOT NULL,
    actor_kind    VARCHAR(16)   NOT NULL,
    operator_id   BIGINT        NULL,
    actor_name    VARCHAR(100)  NOT NULL,
    client_ip     VARCHAR(45)   NULL,
    action        VARCHAR(300)  NOT NULL,
    area          VARCHAR(32)   NOT NULL,
    target        VARCHAR(1000) NULL,
    details       TEXT          NULL,
    status        INT           NOT NULL,
    KEY ix_admin_audit_time (occurred_at, id),
    KEY ix_admin_audit_operator (operator_id, id),
    KEY ix_admin_audit_area (area, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
