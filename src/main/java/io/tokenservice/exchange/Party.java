package io.tokenservice.exchange;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A subject or actor of a token exchange, as its verified token tells it.
 *
 * @param subject the token's sub
 * @param issuer its iss: ours, or a trusted issuer's
 * @param ours whether the token is one of ours (an access or transaction token)
 * @param scopes its scopes; empty when the token says nothing of scopes (a trusted issuer's without a scope claim)
 * @param audience its aud
 * @param expiresAt its exp
 * @param claims every claim of it, as issued
 * @param client the client of ours that the token (or the token it was exchanged for) was issued to, if any
 */
public record Party(String subject, String issuer, boolean ours, Optional<List<String>> scopes, List<String> audience,
        Instant expiresAt, Map<String, Object> claims, Optional<ClientOfOrigin> client) {

    /** The client a token of ours was issued to, as the token names it; exchanged tokens die with it. */
    public record ClientOfOrigin(String clientId, long version, OptionalLong registration) {

        /** As the {@code subject_client} claim writes it. */
        Map<String, Object> claim() {
            Map<String, Object> claim = new java.util.LinkedHashMap<>();
            claim.put("client_id", clientId);
            claim.put("client_version", version);
            registration.ifPresent(number -> claim.put("client_registration", number));
            return claim;
        }
    }
}
