-- Signing keys managed by the service (when no PEM files are configured). The private half is sealed with
-- AES-256-GCM under TOKEN_SERVICE_KEY_ENCRYPTION_KEY (nonce || ciphertext || tag, kid as associated data);
-- the public half is the SubjectPublicKeyInfo DER. A key signs from activates_at until the next key's
-- activates_at, is published from insertion, and is deleted once no token it signed can still be valid.
CREATE TABLE token_service.signing_key (
    kid          text PRIMARY KEY,
    algorithm    text        NOT NULL CHECK (algorithm IN ('RS256', 'PS256', 'ES256', 'EdDSA')),
    public_key   bytea       NOT NULL,
    private_key  bytea       NOT NULL,
    activates_at timestamptz NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- Access tokens revoked before their exp (RFC 7009), by jti; kept until exp, then purged.
CREATE TABLE token_service.revoked_token (
    jti        text PRIMARY KEY,
    client_id  text        NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX revoked_token_expires_at ON token_service.revoked_token (expires_at);
CREATE INDEX revoked_token_revoked_at ON token_service.revoked_token (revoked_at);

-- Key rotations are audited too; they concern no client.
ALTER TABLE token_service.admin_audit ALTER COLUMN client_id DROP NOT NULL;
