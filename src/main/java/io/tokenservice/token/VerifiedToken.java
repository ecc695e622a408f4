package io.tokenservice.token;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * An access token this service issued, after its signature, issuer, type and lifetime checked out.
 *
 * @param subject the {@code sub}: the client the token was issued to
 * @param clientId the {@code client_id} claim (RFC 9068 §2.2)
 * @param scopes the granted scopes, possibly none
 * @param audience the {@code aud}, possibly empty
 * @param clientVersion the version of its client it was minted from ({@code client_version}; 0 when absent)
 * @param clientRegistration the registration of its client it was minted for ({@code client_registration}); empty
 *     for a token minted before registrations were numbered
 * @param claims every claim of the token, as issued
 */
public record VerifiedToken(String subject, String clientId, List<String> scopes, List<String> audience, String jwtId,
        Instant issuedAt, Instant expiresAt, long clientVersion, OptionalLong clientRegistration,
        Map<String, Object> claims) {

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }
}
