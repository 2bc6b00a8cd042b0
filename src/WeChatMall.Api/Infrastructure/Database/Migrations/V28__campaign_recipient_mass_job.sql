-- Mass send: the job (campaign_mass_jobs.id) that carries a recipient, so a job resent after a crash names the same openids.
ALTER TABLE campaign_recipients ADD COLUMN IF NOT EXISTS mass_job_id BIGINT NULL;
