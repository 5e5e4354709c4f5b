-- A refresh token is bound to the client it was issued to (RFC 6749 section 10.4): client_id
-- holds the public client of a session started with the OAuth password grant, '' for one started
-- at the JSON API (/auth/login), and NULL for a token stored before this version, or by an
-- instance of the previous version while a cluster is upgraded: such a token is taken from any
-- caller, and its successor is bound to that caller.
ALTER TABLE sigil_refresh_token ADD COLUMN client_id VARCHAR(36);
