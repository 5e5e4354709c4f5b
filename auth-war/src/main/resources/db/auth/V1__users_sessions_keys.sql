-- The auth service's schema. Written in the SQL that H2 and PostgreSQL share, so the same
-- migrations run on the embedded default database and on PostgreSQL.
-- Points in time are TIMESTAMP WITH TIME ZONE: an absolute instant on both databases,
-- whatever the time zone of the server that writes or reads it.

CREATE TABLE sigil_user (
    id            VARCHAR(36)  NOT NULL,
    email         VARCHAR(254) NOT NULL,
    password_hash VARCHAR(512) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    enabled       BOOLEAN      NOT NULL,
    CONSTRAINT pk_sigil_user PRIMARY KEY (id),
    CONSTRAINT uk_user_email UNIQUE (email)
);

CREATE TABLE sigil_user_group (
    user_id    VARCHAR(36) NOT NULL,
    group_name VARCHAR(64) NOT NULL,
    CONSTRAINT pk_sigil_user_group PRIMARY KEY (user_id, group_name),
    CONSTRAINT fk_sigil_user_group_user FOREIGN KEY (user_id) REFERENCES sigil_user (id) ON DELETE CASCADE
);

CREATE TABLE sigil_refresh_token (
    id         VARCHAR(36) NOT NULL,
    token_hash VARCHAR(64) NOT NULL,
    family_id  VARCHAR(36) NOT NULL,
    user_id    VARCHAR(36) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at    TIMESTAMP WITH TIME ZONE,
    revoked_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT pk_sigil_refresh_token PRIMARY KEY (id)
);
CREATE UNIQUE INDEX sigil_refresh_token_hash ON sigil_refresh_token (token_hash);
CREATE INDEX sigil_refresh_token_family ON sigil_refresh_token (family_id);
CREATE INDEX sigil_refresh_token_user ON sigil_refresh_token (user_id);

-- Signing keys: the private JWK as stored (sealed when AUTH_KEYS_ENCRYPTION_SECRET is set).
CREATE TABLE sigil_signing_key (
    kid          VARCHAR(64)   NOT NULL,
    algorithm    VARCHAR(16)   NOT NULL,
    private_jwk  VARCHAR(8192) NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    activates_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT pk_sigil_signing_key PRIMARY KEY (kid)
);
