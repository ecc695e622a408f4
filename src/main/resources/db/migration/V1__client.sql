-- Registered machine clients. Secrets are stored only as salted slow hashes (PHC strings or bcrypt).
CREATE TABLE client (
    client_id                  text        PRIMARY KEY CHECK (length(client_id) BETWEEN 1 AND 255),
    secret_hash                text        NOT NULL CHECK (length(secret_hash) BETWEEN 20 AND 1024),
    scopes                     text[]      NOT NULL DEFAULT '{}',
    audience                   text[]      NOT NULL DEFAULT '{}',
    access_token_ttl           integer     CHECK (access_token_ttl > 0),
    token_endpoint_auth_method text        NOT NULL DEFAULT 'client_secret_basic'
                                           CHECK (token_endpoint_auth_method IN ('client_secret_basic', 'client_secret_post')),
    enabled                    boolean     NOT NULL DEFAULT true,
    created_at                 timestamptz NOT NULL DEFAULT now(),
    updated_at                 timestamptz NOT NULL DEFAULT now(),
    version                    bigint      NOT NULL DEFAULT 0
);
