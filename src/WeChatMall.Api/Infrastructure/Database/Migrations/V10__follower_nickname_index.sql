-- Admin member search matches a follower's nickname exactly (GET /admin/members?q=...).
CREATE INDEX IF NOT EXISTS ix_followers_nickname ON followers (nickname);
