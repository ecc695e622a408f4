-- Clients that authenticate with a JWT signed by their own key (private_key_jwt, RFC 7523 §2.2, OpenID Connect
-- Core §9) carry no secret: they register their public keys inline (jwks) or at a URL (jwks_uri), never both.
-- A secret method keeps its secret and has no keys.
ALTER TABLE token_service.client
    ALTER COLUMN secret_hash DROP NOT NULL,
    DROP CONSTRAINT client_token_endpoint_auth_method_check,
    ADD CONSTRAINT client_token_endpoint_auth_method_check CHECK (token_endpoint_auth_method IN
        ('client_secret_basic', 'client_secret_post', 'private_key_jwt')),
    ADD COLUMN jwks     text CHECK (length(jwks) BETWEEN 2 AND 65536),
    ADD COLUMN jwks_uri text CHECK (length(jwks_uri) BETWEEN 8 AND 2000),
    ADD CONSTRAINT client_credentials_match_method CHECK (CASE token_endpoint_auth_method
        WHEN 'private_key_jwt' THEN secret_hash IS NULL AND previous_secret_hash IS NULL
                                    AND (jwks IS NULL) <> (jwks_uri IS NULL)
        ELSE secret_hash IS NOT NULL AND jwks IS NULL AND jwks_uri IS NULL END);

-- Every client assertion accepted, until it expires: a jti is accepted once per issuer (the client_id of a
-- private_key_jwt client), on whichever replica it arrives (RFC 7523 §3 item 7). Rows past expires_at are pruned.
CREATE TABLE token_service.seen_assertion (
    issuer     text        NOT NULL CHECK (length(issuer) BETWEEN 1 AND 2000),
    jti        text        NOT NULL CHECK (length(jti) BETWEEN 1 AND 256),
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (issuer, jti)
);
CREATE INDEX seen_assertion_expires_at ON token_service.seen_assertion (expires_at);
