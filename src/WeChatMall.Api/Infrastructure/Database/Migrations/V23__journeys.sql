-- Journeys (issue #18, item 3): automated member journeys. Owned by Features/Journeys. Times are UTC.
-- Every statement is re-runnable (MariaDB DDL commits implicitly).

-- status: draft | active | paused | archived (JourneyTransitions). current_version: the definition new members enter.
-- activated_at: the first activation; only trigger events from then on enrol members.
CREATE TABLE IF NOT EXISTS journeys (
    id               BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name             VARCHAR(100)  NOT NULL,
    status           VARCHAR(12)   NOT NULL,
    current_version  INT           NOT NULL,
    activated_at     DATETIME(3)   NULL,
    created_at       DATETIME(3)   NOT NULL,
    updated_at       DATETIME(3)   NOT NULL,
    KEY ix_journeys_status (status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every saved definition (trigger, goal, steps) is a new version; a member stays on the version it entered with.
CREATE TABLE IF NOT EXISTS journey_versions (
    journey_id  BIGINT        NOT NULL,
    version     INT           NOT NULL,
    definition  LONGTEXT      NOT NULL CHECK (JSON_VALID(definition)),
    created_at  DATETIME(3)   NOT NULL,
    PRIMARY KEY (journey_id, version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS journey_events (
    id           BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    journey_id   BIGINT        NOT NULL,
    from_status  VARCHAR(12)   NULL,
    to_status    VARCHAR(12)   NOT NULL,
    note         VARCHAR(255)  NULL,
    created_at   DATETIME(3)   NOT NULL,
    KEY ix_journey_events_journey (journey_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The campaign (campaigns.journey_id) through which a send step of a version delivers: the delivery engine's rules,
-- quotas and credits apply to journey messages as to any campaign's.
CREATE TABLE IF NOT EXISTS journey_send_steps (
    journey_id   BIGINT  NOT NULL,
    version      INT     NOT NULL,
    step         INT     NOT NULL,
    campaign_id  BIGINT  NOT NULL,
    PRIMARY KEY (journey_id, version, step),
    UNIQUE KEY ux_journey_send_steps_campaign (campaign_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A member in a journey: at most once per journey (the primary key), pinned to the version it entered with.
-- state: active | completed | exited_goal | exited_branch. step: the next step to pass; step_since: when the member
-- reached it (waits count from there). claim_token/claimed_until: the worker advancing the member.
CREATE TABLE IF NOT EXISTS journey_members (
    journey_id     BIGINT       NOT NULL,
    member_id      BIGINT       NOT NULL,
    version        INT          NOT NULL,
    state          VARCHAR(16)  NOT NULL,
    step           INT          NOT NULL,
    step_since     DATETIME(3)  NOT NULL,
    next_at        DATETIME(3)  NOT NULL,
    entered_at     DATETIME(3)  NOT NULL,
    exited_at      DATETIME(3)  NULL,
    claim_token    CHAR(32)     NULL,
    claimed_until  DATETIME(3)  NULL,
    updated_at     DATETIME(3)  NOT NULL,
    PRIMARY KEY (journey_id, member_id),
    KEY ix_journey_members_due (journey_id, state, next_at),
    KEY ix_journey_members_member (member_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Each member passes each step at most once: the primary key, inserted in the transaction that does the step's effect.
CREATE TABLE IF NOT EXISTS journey_step_passes (
    journey_id  BIGINT       NOT NULL,
    member_id   BIGINT       NOT NULL,
    version     INT          NOT NULL,
    step        INT          NOT NULL,
    outcome     VARCHAR(64)  NOT NULL,
    passed_at   DATETIME(3)  NOT NULL,
    PRIMARY KEY (journey_id, member_id, step),
    KEY ix_journey_step_passes_step (journey_id, version, step)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
