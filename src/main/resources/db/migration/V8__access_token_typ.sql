-- The typ header of a client's access tokens: at+jwt (RFC 9068, the default) or JWT, for APIs whose framework
-- accepts only JWT (Spring Security's resource server out of the box). NULL means at+jwt.
ALTER TABLE token_service.client
    ADD COLUMN access_token_typ text CHECK (access_token_typ IN ('at+jwt', 'JWT'));
