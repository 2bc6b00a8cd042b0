CREATE INDEX IF NOT EXISTS ix_followers_unionid ON followers (unionid);
