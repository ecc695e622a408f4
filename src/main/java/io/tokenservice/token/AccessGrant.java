package io.tokenservice.token;

import io.tokenservice.binding.Confirmation;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one token request is granted: the claims a token will carry. A grant, or a binding of the token to its client
 * (a later {@code cnf}), adds claims of its own through {@link #withClaim}, never by changing the minter.
 *
 * @param clientId the client the token is issued to, its {@code client_id}
 * @param subject its {@code sub}: the client itself, or for token exchange the subject the client acts for
 * @param scopes the granted scopes, possibly none
 * @param audience the {@code aud} of the token, never empty (RFC 9068 §2.2)
 * @param lifetime how long the token is valid; {@code expires_in} and {@code exp - iat}
 * @param clientVersion the version of the client the grant was decided on, carried as {@code client_version}
 * @param clientRegistration the number the client was registered under, carried as {@code client_registration}
 * @param typ the token's typ header: {@code at+jwt} (RFC 9068 §2.1), {@code JWT}, or another token's own
 * @param claims further claims (e.g. {@code act}, RFC 8693 §4.1), never one the minter sets itself
 */
public record AccessGrant(String clientId, String subject, List<String> scopes, List<String> audience, Duration lifetime,
        long clientVersion, long clientRegistration, String typ, Map<String, Object> claims) {

    /** The claims the minter sets itself, which no grant may add or replace. */
    public static final Set<String> MINTED = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "client_id", "scope",
            AccessTokenMinter.CLIENT_VERSION, AccessTokenMinter.CLIENT_REGISTRATION);

    public AccessGrant {
        claims = Map.copyOf(claims);
        for (String name : claims.keySet()) {
            if (MINTED.contains(name)) {
                throw new IllegalArgumentException("The minter sets claim " + name + " itself");
            }
        }
    }

    /** A grant to the client itself, with no further claims. */
    public AccessGrant(String clientId, List<String> scopes, List<String> audience, Duration lifetime, long clientVersion,
            long clientRegistration, String typ) {
        this(clientId, clientId, scopes, audience, lifetime, clientVersion, clientRegistration, typ, Map.of());
    }

    public AccessGrant(String clientId, List<String> scopes, List<String> audience, Duration lifetime) {
        this(clientId, scopes, audience, lifetime, 0, 0, "at+jwt");
    }

    /** The same grant bound to {@code binding} (its {@code cnf}, RFC 7800 §3.1), or itself for a bearer token. */
    public AccessGrant boundTo(Confirmation binding) {
        return binding.bound() ? withClaim(Confirmation.CLAIM, binding.claim()) : this;
    }

    /** The same grant with one more claim. */
    public AccessGrant withClaim(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(claims);
        more.put(name, value);
        return new AccessGrant(clientId, subject, scopes, audience, lifetime, clientVersion, clientRegistration, typ, more);
    }
}
