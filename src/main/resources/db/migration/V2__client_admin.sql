-- Client administration: a display name, the secret kept valid during a rotation's grace window, and the
-- audit trail of every change made through the admin API (never a secret).
ALTER TABLE client
    ADD COLUMN client_name                text CHECK (length(client_name) <= 200),
    ADD COLUMN previous_secret_hash       text CHECK (length(previous_secret_hash) BETWEEN 20 AND 1024),
    ADD COLUMN previous_secret_expires_at timestamptz,
    ADD CONSTRAINT client_previous_secret_pair
        CHECK ((previous_secret_hash IS NULL) = (previous_secret_expires_at IS NULL));

CREATE TABLE admin_audit (
    id          bigserial   PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    actor       text        NOT NULL,
    action      text        NOT NULL,
    client_id   text        NOT NULL,
    details     text        NOT NULL DEFAULT ''
);

CREATE INDEX admin_audit_client_id ON admin_audit (client_id, occurred_at);
