-- A client's registration: a random number drawn when it is registered, which its tokens carry (claim
-- client_registration). A token carrying another number was issued to an earlier client under the same client_id,
-- deleted since, and is not this client's. It replaces the tokens_not_before instant for tokens that carry it, so a
-- client registered within the current second is no longer given tokens whose iat is the next whole second.
-- tokens_not_before stays for the tokens minted before this migration, which do not carry the claim.
-- Random, not a sequence: a token tells its readers nothing about how many clients were registered. 53 bits, so
-- that a JSON number carries it exactly in any language.
ALTER TABLE token_service.client
    ADD COLUMN registration bigint NOT NULL DEFAULT floor(random() * 9007199254740991)::bigint;
