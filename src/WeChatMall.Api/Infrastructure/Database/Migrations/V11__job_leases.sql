-- Jobs that only one instance may run (Infrastructure/Jobs/JobLease): one row per job, held until expires_at.
CREATE TABLE IF NOT EXISTS job_leases (
    name       VARCHAR(64)  NOT NULL PRIMARY KEY,
    holder     VARCHAR(128) NOT NULL,
    expires_at DATETIME(6)  NOT NULL
) ENGINE = InnoDB;
