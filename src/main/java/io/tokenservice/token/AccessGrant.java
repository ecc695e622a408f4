package io.tokenservice.token;

import java.time.Duration;
import java.util.List;

/**
 * What a client is granted by one token request: the claims an access token will carry.
 *
 * @param scopes the granted scopes, possibly none
 * @param audience the {@code aud} of the token, never empty (RFC 9068 §2.2)
 * @param lifetime how long the token is valid; {@code expires_in} and {@code exp - iat}
 * @param clientVersion the version of the client the grant was decided on, carried as {@code client_version}
 * @param clientRegistration the number the client was registered under, carried as {@code client_registration}
 * @param typ the token's typ header: {@code at+jwt} (RFC 9068 §2.1) or {@code JWT}
 */
public record AccessGrant(String clientId, List<String> scopes, List<String> audience, Duration lifetime,
        long clientVersion, long clientRegistration, String typ) {

    public AccessGrant(String clientId, List<String> scopes, List<String> audience, Duration lifetime) {
        this(clientId, scopes, audience, lifetime, 0, 0, "at+jwt");
    }
}
