-- The ids of deleted confidential clients, never given out again: a client id is its tokens'
-- subject, so the data other services keep under it (business's orders) would pass to a new
-- client registered under the same id.
CREATE TABLE sigil_oauth_client_retired (
    client_id  VARCHAR(36) NOT NULL,
    retired_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_sigil_oauth_client_retired PRIMARY KEY (client_id)
);
