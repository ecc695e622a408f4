-- Tokens die with their client. Every token carries the client's version when it was minted (claim
-- client_version); tokens of an older version than tokens_min_version are no longer honoured by introspection or
-- the admin API. Disabling, de-scoping, revoking a client's tokens, or a secret rotation that asks for it set it to
-- the version they write, so a replica that mints from a copy cached before the change mints dead tokens.
-- tokens_not_before covers a client_id used again after a delete: tokens issued before its registration are not
-- this client's.
ALTER TABLE token_service.client
    ADD COLUMN tokens_min_version bigint NOT NULL DEFAULT 0,
    ADD COLUMN tokens_not_before  timestamptz;

-- The bootstrap admin is created once per database: this records that it was (and which id), so that a deleted,
-- de-scoped or rotated admin is left as the operator made it.
CREATE TABLE token_service.bootstrap_admin (
    client_id  text        PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Which key-encryption key sealed each signing key: an id derived from that key (never the key), so keys sealed
-- under a previous key-encryption key are found and re-sealed under the current one. NULL: sealed before ids.
ALTER TABLE token_service.signing_key ADD COLUMN kek_id text;
