-- Journeys (issue #18, item 3): a campaign that carries a journey's send step belongs to that journey. It never
-- completes on its own (members keep arriving) and is not listed among the merchant's campaigns.
ALTER TABLE campaigns ADD COLUMN IF NOT EXISTS journey_id BIGINT NULL;
