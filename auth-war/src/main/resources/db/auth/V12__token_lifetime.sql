-- The access-token lifetime auth was last started with, and the longest lifetime a token still
-- live may have been issued with (until when): after auth.token.lifetime-seconds is lowered,
-- revocations are kept, and said to validators, for the old lifetime until every token issued
-- under it has expired (TokenLifetimes). One row; instances update it under its row lock.
CREATE TABLE sigil_token_lifetime (
    id INT PRIMARY KEY,
    seconds BIGINT NOT NULL,
    longest_seconds BIGINT NOT NULL,
    longest_until_ms BIGINT NOT NULL
);
-- the row, before any start has recorded a lifetime (0: none known)
INSERT INTO sigil_token_lifetime (id, seconds, longest_seconds, longest_until_ms) VALUES (1, 0, 0, 0);
