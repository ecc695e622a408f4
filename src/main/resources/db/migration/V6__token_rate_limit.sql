-- A client's own token quota, in tokens per minute per replica (token-service.quota.tokens-per-minute otherwise).
ALTER TABLE token_service.client ADD COLUMN token_rate_limit integer CHECK (token_rate_limit > 0);
