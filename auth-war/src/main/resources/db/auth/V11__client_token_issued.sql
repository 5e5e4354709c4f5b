-- The issue time of a confidential client's newest access token, written by the client
-- credentials grant under the client's row lock: a new secret or a deletion cuts the client's
-- tokens off after it, even where the instance that issued it has a clock ahead of the revoking
-- one's. NULL for a client without a token since this version.
ALTER TABLE sigil_oauth_client ADD COLUMN token_issued_at TIMESTAMP WITH TIME ZONE;
