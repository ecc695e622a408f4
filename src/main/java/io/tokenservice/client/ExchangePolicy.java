package io.tokenservice.client;

import java.util.Set;

/**
 * What a client registered for token exchange (RFC 8693) may exchange beyond the default, a subject token addressed
 * to it (whose aud names its client_id): nothing is implied, everything is its metadata's word.
 *
 * @param subjectAudiences further aud values of subject tokens it may exchange (the APIs it serves)
 * @param trustedIssuers the trusted issuers, by name, whose tokens it may exchange as subject tokens
 * @param transactionTokens whether it may ask for transaction tokens (draft-ietf-oauth-transaction-tokens)
 */
public record ExchangePolicy(Set<String> subjectAudiences, Set<String> trustedIssuers, boolean transactionTokens) {

    /** The default: a subject token addressed to the client, no transaction tokens. */
    public static final ExchangePolicy NONE = new ExchangePolicy(Set.of(), Set.of(), false);

    public ExchangePolicy {
        subjectAudiences = Set.copyOf(subjectAudiences);
        trustedIssuers = Set.copyOf(trustedIssuers);
    }
}
