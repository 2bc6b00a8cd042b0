-- The follower's UnionID (from user/info, e.g. the follower import), so a member known only by the mini-program's
-- UnionID is linked to their Official Account follow.
ALTER TABLE followers ADD COLUMN IF NOT EXISTS unionid VARCHAR(64) NULL COLLATE utf8mb4_bin;
