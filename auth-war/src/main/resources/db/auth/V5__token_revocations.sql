-- Access-token revocations (dev.sigil.auth.tokens.control.Revocations): every access token of
-- a user (subject_id) or of one session (session_id, the refresh family) issued before
-- before_ms (epoch milliseconds) is refused. Rows past expires_at cover no token that can still
-- be accepted and leave the published feed.
CREATE TABLE sigil_token_revocation (
    id         VARCHAR(36) NOT NULL,
    subject_id VARCHAR(36),
    session_id VARCHAR(36),
    before_ms  BIGINT      NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_sigil_token_revocation PRIMARY KEY (id),
    CONSTRAINT ck_sigil_token_revocation_one CHECK ((subject_id IS NULL) <> (session_id IS NULL))
);
CREATE INDEX sigil_token_revocation_expires ON sigil_token_revocation (expires_at);
