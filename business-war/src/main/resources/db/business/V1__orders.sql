-- The business service's schema. Written in the SQL that H2 and PostgreSQL share, so the same
-- migrations run on the embedded default database and on PostgreSQL.
-- Points in time are TIMESTAMP WITH TIME ZONE: an absolute instant on both databases.

CREATE TABLE sigil_order (
    id           VARCHAR(36)  NOT NULL,
    owner        VARCHAR(255) NOT NULL,
    item         VARCHAR(200) NOT NULL,
    quantity     INTEGER      NOT NULL,
    status       VARCHAR(16)  NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    cancelled_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT pk_sigil_order PRIMARY KEY (id)
);
CREATE INDEX sigil_order_owner ON sigil_order (owner, created_at);
CREATE INDEX sigil_order_owner_status ON sigil_order (owner, status);
