-- Confidential OAuth 2.0 clients (dev.sigil.auth.oauth.control.Clients): services that get
-- access tokens for themselves with the client credentials grant. Only the SHA-256 hash of the
-- 256-bit random secret is stored. The client id is the tokens' subject, so it fits the
-- revocation table's subject_id.
CREATE TABLE sigil_oauth_client (
    client_id   VARCHAR(36) NOT NULL,
    secret_hash VARCHAR(64) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_sigil_oauth_client PRIMARY KEY (client_id)
);

CREATE TABLE sigil_oauth_client_group (
    client_id  VARCHAR(36) NOT NULL,
    group_name VARCHAR(64) NOT NULL,
    CONSTRAINT pk_sigil_oauth_client_group PRIMARY KEY (client_id, group_name),
    CONSTRAINT fk_sigil_oauth_client_group FOREIGN KEY (client_id) REFERENCES sigil_oauth_client (client_id)
        ON DELETE CASCADE
);

-- The audiences a client may get tokens for, in order: the first is its default.
CREATE TABLE sigil_oauth_client_audience (
    client_id VARCHAR(36)  NOT NULL,
    list_index INTEGER     NOT NULL,
    audience  VARCHAR(128) NOT NULL,
    CONSTRAINT pk_sigil_oauth_client_audience PRIMARY KEY (client_id, list_index),
    CONSTRAINT fk_sigil_oauth_client_audience FOREIGN KEY (client_id) REFERENCES sigil_oauth_client (client_id)
        ON DELETE CASCADE
);
