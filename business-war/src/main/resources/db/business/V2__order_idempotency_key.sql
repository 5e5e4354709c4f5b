-- The key a client may send with a placement (Idempotency-Key), so that a retry of a request
-- whose answer was lost places nothing new. Unique per owner; orders placed without one hold
-- NULL, which both databases let repeat in a unique index.
ALTER TABLE sigil_order ADD COLUMN idempotency_key VARCHAR(255);
CREATE UNIQUE INDEX sigil_order_idempotency_key ON sigil_order (owner, idempotency_key);
