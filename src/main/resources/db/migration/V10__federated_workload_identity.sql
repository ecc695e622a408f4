-- Federated workload identity: a client authenticates with a token its platform issued it (a Kubernetes projected
-- service-account token, a SPIFFE JWT-SVID), from an issuer the operator trusts. Such a client has no secret and
-- no keys of its own: it is known by (issuer, subject) pairs, each of which belongs to one client.
ALTER TABLE token_service.client
    DROP CONSTRAINT client_token_endpoint_auth_method_check,
    ADD CONSTRAINT client_token_endpoint_auth_method_check CHECK (token_endpoint_auth_method IN
        ('client_secret_basic', 'client_secret_post', 'private_key_jwt', 'federated_jwt')),
    DROP CONSTRAINT client_credentials_match_method,
    ADD CONSTRAINT client_credentials_match_method CHECK (CASE token_endpoint_auth_method
        WHEN 'private_key_jwt' THEN secret_hash IS NULL AND previous_secret_hash IS NULL
                                    AND (jwks IS NULL) <> (jwks_uri IS NULL)
        WHEN 'federated_jwt' THEN secret_hash IS NULL AND previous_secret_hash IS NULL
                                  AND jwks IS NULL AND jwks_uri IS NULL
        ELSE secret_hash IS NOT NULL AND jwks IS NULL AND jwks_uri IS NULL END);

-- Issuers whose tokens authenticate federated clients, managed through /admin/trusted-issuers. Keys come from
-- jwks (inline), jwks_uri, or, when neither is set, the issuer's discovery document. audiences empty: the token
-- endpoint URL and our issuer. max_token_age bounds now - iat; allow_reuse lets one token authenticate many
-- requests within its lifetime (Kubernetes projected tokens are reused by design).
CREATE TABLE token_service.trusted_issuer (
    name          text        PRIMARY KEY CHECK (name ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
    issuer        text        NOT NULL UNIQUE CHECK (length(issuer) BETWEEN 1 AND 2000),
    jwks          text        CHECK (length(jwks) BETWEEN 2 AND 65536),
    jwks_uri      text        CHECK (length(jwks_uri) BETWEEN 8 AND 2000),
    audiences     text[]      NOT NULL DEFAULT '{}',
    max_token_age integer     NOT NULL CHECK (max_token_age BETWEEN 1 AND 86400),
    allow_reuse   boolean     NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    version       bigint      NOT NULL DEFAULT 0,
    CHECK (jwks IS NULL OR jwks_uri IS NULL)
);

-- Every replica re-reads the trusted issuers when one changes.
CREATE FUNCTION token_service.notify_trusted_issuer_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('token_service_trusted_issuer', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER trusted_issuer_changed
    AFTER INSERT OR UPDATE OR DELETE ON token_service.trusted_issuer
    FOR EACH STATEMENT EXECUTE FUNCTION token_service.notify_trusted_issuer_change();

-- Which client a trusted issuer's subject is: one client per (issuer, subject), so a token names its client.
CREATE TABLE token_service.federated_credential (
    issuer    text NOT NULL CHECK (length(issuer) BETWEEN 1 AND 2000),
    subject   text NOT NULL CHECK (length(subject) BETWEEN 1 AND 1000),
    client_id text NOT NULL REFERENCES token_service.client (client_id) ON DELETE CASCADE,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX federated_credential_client_id ON token_service.federated_credential (client_id);

-- A change to a client's federated credentials is a change to the client: replicas drop what they cached of it.
CREATE FUNCTION token_service.notify_federated_credential_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('token_service_client', CASE WHEN TG_OP = 'DELETE' THEN OLD.client_id ELSE NEW.client_id END);
    RETURN NULL;
END
$$;
CREATE TRIGGER federated_credential_changed
    AFTER INSERT OR UPDATE OR DELETE ON token_service.federated_credential
    FOR EACH ROW EXECUTE FUNCTION token_service.notify_federated_credential_change();
