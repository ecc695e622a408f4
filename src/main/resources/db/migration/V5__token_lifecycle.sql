-- Tokens die with their client: tokens whose iat is before this instant (a whole second) are no longer honoured
-- by introspection or the admin API. Set by disabling, de-scoping, revoking a client's tokens, or a secret
-- rotation that asks for it; NULL for none.
ALTER TABLE token_service.client ADD COLUMN tokens_not_before timestamptz;

-- The bootstrap admin is created once per database: this records that it was (and which id), so that a deleted,
-- de-scoped or rotated admin is left as the operator made it.
CREATE TABLE token_service.bootstrap_admin (
    client_id  text        PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Which key-encryption key sealed each signing key: an id derived from that key (never the key), so keys sealed
-- under a previous key-encryption key are found and re-sealed under the current one. NULL: sealed before ids.
ALTER TABLE token_service.signing_key ADD COLUMN kek_id text;
