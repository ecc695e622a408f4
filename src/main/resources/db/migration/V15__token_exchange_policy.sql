-- Token exchange (RFC 8693) and transaction tokens: by default a client registered for token exchange may exchange
-- only a subject token addressed to it (whose aud names its client_id). Anything wider is its metadata's explicit
-- policy: further audiences of subject tokens it may exchange, the trusted issuers (by name) whose tokens it may
-- exchange, and whether it may ask for transaction tokens.
ALTER TABLE token_service.client
    ADD COLUMN exchange_subject_audiences text[]  NOT NULL DEFAULT '{}' CHECK (cardinality(exchange_subject_audiences) <= 20),
    ADD COLUMN exchange_trusted_issuers   text[]  NOT NULL DEFAULT '{}' CHECK (cardinality(exchange_trusted_issuers) <= 20),
    ADD COLUMN transaction_tokens         boolean NOT NULL DEFAULT false;
