-- One row that auth instances lock (SELECT ... FOR UPDATE) while deciding whether to create a
-- signing key, so two instances sharing this database never both create the first key or both
-- run the same scheduled rotation.
CREATE TABLE sigil_lock (
    name VARCHAR(64) NOT NULL,
    CONSTRAINT pk_sigil_lock PRIMARY KEY (name)
);
INSERT INTO sigil_lock (name) VALUES ('signing-keys');
