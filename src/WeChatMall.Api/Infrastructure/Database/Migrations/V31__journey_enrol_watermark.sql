-- Journeys: how far the trigger has been read (UTC), so a pass reads only what is new (JourneyAdvanceJob). Event triggers
-- read from here minus Journeys:EnrolOverlapSeconds; state triggers rescan every Journeys:StateTriggerMinutes.
-- NULL: not read yet for the current version (a new version resets it). Re-runnable.
ALTER TABLE journeys ADD COLUMN IF NOT EXISTS enrolled_through DATETIME(3) NULL AFTER activated_at;
