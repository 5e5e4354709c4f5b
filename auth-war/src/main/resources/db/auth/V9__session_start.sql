-- A session (one login and the refreshes after it) lasts at most auth.refresh.max-session-seconds,
-- however often it refreshes: every refresh token carries the start of its session. A token
-- stored before this version counts from the oldest token of its session still stored. The
-- default lets instances of the previous version, which do not name the column, go on storing
-- tokens while a cluster is upgraded one instance at a time (theirs count from that moment).
ALTER TABLE sigil_refresh_token ADD COLUMN session_started_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP;
UPDATE sigil_refresh_token SET session_started_at =
    (SELECT MIN(f.created_at) FROM sigil_refresh_token f WHERE f.family_id = sigil_refresh_token.family_id);
ALTER TABLE sigil_refresh_token ALTER COLUMN session_started_at SET NOT NULL;
