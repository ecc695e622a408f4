-- Mutual TLS client authentication (RFC 8705 §2): tls_client_auth clients are known by one registered value of their
-- certificate (subject DN, or a DNS, URI or IP subject alternative name); self_signed_tls_client_auth clients by the
-- keys of their jwks or jwks_uri, like private_key_jwt clients. Neither has a secret.
ALTER TABLE token_service.client
    ADD COLUMN tls_client_auth_subject_dn text CHECK (length(tls_client_auth_subject_dn) BETWEEN 1 AND 1000),
    ADD COLUMN tls_client_auth_san_dns    text CHECK (length(tls_client_auth_san_dns) BETWEEN 1 AND 253),
    ADD COLUMN tls_client_auth_san_uri    text CHECK (length(tls_client_auth_san_uri) BETWEEN 1 AND 2000),
    ADD COLUMN tls_client_auth_san_ip     text CHECK (length(tls_client_auth_san_ip) BETWEEN 2 AND 45),
    -- Sender-constrained tokens: bound to the client's certificate (RFC 8705 §3) or DPoP key (RFC 9449 §5.2).
    ADD COLUMN tls_client_certificate_bound_access_tokens boolean NOT NULL DEFAULT false,
    ADD COLUMN dpop_bound_access_tokens                   boolean NOT NULL DEFAULT false,
    DROP CONSTRAINT client_token_endpoint_auth_method_check,
    ADD CONSTRAINT client_token_endpoint_auth_method_check CHECK (token_endpoint_auth_method IN
        ('client_secret_basic', 'client_secret_post', 'private_key_jwt', 'federated_jwt', 'tls_client_auth',
         'self_signed_tls_client_auth')),
    DROP CONSTRAINT client_credentials_match_method,
    ADD CONSTRAINT client_credentials_match_method CHECK (CASE token_endpoint_auth_method
        WHEN 'private_key_jwt' THEN secret_hash IS NULL AND previous_secret_hash IS NULL
                                    AND (jwks IS NULL) <> (jwks_uri IS NULL)
        WHEN 'self_signed_tls_client_auth' THEN secret_hash IS NULL AND previous_secret_hash IS NULL
                                    AND (jwks IS NULL) <> (jwks_uri IS NULL)
        WHEN 'federated_jwt' THEN secret_hash IS NULL AND previous_secret_hash IS NULL
                                  AND jwks IS NULL AND jwks_uri IS NULL
        WHEN 'tls_client_auth' THEN secret_hash IS NULL AND previous_secret_hash IS NULL
                                    AND jwks IS NULL AND jwks_uri IS NULL
        ELSE secret_hash IS NOT NULL AND jwks IS NULL AND jwks_uri IS NULL END),
    -- RFC 8705 §2.1.2: a tls_client_auth client registers exactly one of the four; nobody else registers any.
    ADD CONSTRAINT client_tls_client_auth_subject CHECK (
        (CASE WHEN token_endpoint_auth_method = 'tls_client_auth' THEN 1 ELSE 0 END) =
        (CASE WHEN tls_client_auth_subject_dn IS NULL THEN 0 ELSE 1 END)
        + (CASE WHEN tls_client_auth_san_dns IS NULL THEN 0 ELSE 1 END)
        + (CASE WHEN tls_client_auth_san_uri IS NULL THEN 0 ELSE 1 END)
        + (CASE WHEN tls_client_auth_san_ip IS NULL THEN 0 ELSE 1 END));

-- Secrets every replica shares and none configures: drawn once by the first replica that needs one (the key of the
-- DPoP nonces, RFC 9449 §8).
CREATE TABLE token_service.shared_secret (
    name       text        PRIMARY KEY,
    value      bytea       NOT NULL CHECK (length(value) >= 32),
    created_at timestamptz NOT NULL DEFAULT now()
);
