-- Campaigns (issue #18, docs/campaigns.md): recurring campaigns, coupons in the personalisation. Owned by
-- Features/Campaigns. Every statement is re-runnable (MariaDB DDL commits implicitly). Times UTC.

-- A recurring campaign is a definition (status 'recurring'): recurrence_cron (5 fields, China time) and the next
-- occurrence due. Each occurrence is a run: a campaigns row with parent_id = the definition and occurrence_at = the
-- occurrence, its own frozen recipients and results. The unique key makes a run once per occurrence, whichever
-- instance creates it. coupon_template_id: a coupon (Features/Offers) granted to each recipient at send time.
ALTER TABLE campaigns
    ADD COLUMN IF NOT EXISTS recurrence_cron     VARCHAR(100) NULL,
    ADD COLUMN IF NOT EXISTS next_run_at         DATETIME(3)  NULL,
    ADD COLUMN IF NOT EXISTS parent_id           BIGINT       NULL,
    ADD COLUMN IF NOT EXISTS occurrence_at       DATETIME(3)  NULL,
    ADD COLUMN IF NOT EXISTS coupon_template_id  BIGINT       NULL,
    ADD UNIQUE KEY IF NOT EXISTS ux_campaigns_occurrence (parent_id, occurrence_at),
    ADD KEY IF NOT EXISTS ix_campaigns_next_run (status, next_run_at);

-- The coupon granted to this recipient (member_coupons.id), written in the transaction that marks it 'sending', so a
-- retried or recovered recipient is never granted a second one.
ALTER TABLE campaign_recipients
    ADD COLUMN IF NOT EXISTS member_coupon_id BIGINT NULL;
