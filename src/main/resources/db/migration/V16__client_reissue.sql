-- Whether a client asking again with the same request may get back the token a replica already issued it (while
-- enough of its life is left) instead of a newly signed one; on unless the client's metadata says "reissue": false.
ALTER TABLE token_service.client
    ADD COLUMN reissue boolean NOT NULL DEFAULT true;
