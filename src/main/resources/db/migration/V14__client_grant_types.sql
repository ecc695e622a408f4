-- The grant types a client may use at the token endpoint (RFC 7591 §2 grant_types); any other is unauthorized_client.
-- Every client so far used client_credentials, the only grant there was.
ALTER TABLE token_service.client
    ADD COLUMN grant_types text[] NOT NULL DEFAULT '{client_credentials}'
        CHECK (cardinality(grant_types) BETWEEN 1 AND 10);
