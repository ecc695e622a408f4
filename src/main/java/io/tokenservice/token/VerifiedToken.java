package io.tokenservice.token;

import java.time.Instant;
import java.util.List;

/**
 * An access token this service issued, after its signature, issuer, type and lifetime checked out.
 *
 * @param subject the {@code sub}: the client the token was issued to
 * @param scopes the granted scopes, possibly none
 */
public record VerifiedToken(String subject, List<String> scopes, String jwtId, Instant expiresAt) {

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }
}
