-- Whether a client asking again with the same request may get back the token a replica already issued it (while
-- enough of its life is left) instead of a newly signed one; on unless the client's metadata says "reissue": false.
-- How much of its lifetime that token must still have: the client's own share, or (NULL) the service's.
ALTER TABLE token_service.client
    ADD COLUMN reissue               boolean          NOT NULL DEFAULT true,
    ADD COLUMN reissue_min_remaining double precision CHECK (reissue_min_remaining BETWEEN 0 AND 1);
