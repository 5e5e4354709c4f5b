-- A new revocation of a user or session that already has one raises that row's cut-off instead
-- of adding a row (dev.sigil.auth.tokens.control.Revocations), so the published feed holds at
-- most one entry per user and per session however often either is revoked; these indexes find
-- that row.
CREATE INDEX sigil_token_revocation_subject ON sigil_token_revocation (subject_id);
CREATE INDEX sigil_token_revocation_session ON sigil_token_revocation (session_id);
