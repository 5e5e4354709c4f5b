-- The lock row that changes to admin power (disable, enable, grant or revoke admin) take with
-- SELECT ... FOR UPDATE, so that two administrators disabling or demoting each other at the
-- same moment cannot leave no enabled administrator.
INSERT INTO sigil_lock (name) VALUES ('administrators');
