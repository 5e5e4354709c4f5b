-- The refresh-token purge (SessionPurge): a lock row so that auth instances sharing this
-- database delete one batch at a time, and indexes for finding the rows it deletes (expired
-- or revoked longer ago than the retention) without reading the whole table.
INSERT INTO sigil_lock (name) VALUES ('refresh-token-purge');
CREATE INDEX sigil_refresh_token_expires ON sigil_refresh_token (expires_at);
CREATE INDEX sigil_refresh_token_revoked ON sigil_refresh_token (revoked_at);
