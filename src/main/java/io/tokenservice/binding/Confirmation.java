package io.tokenservice.binding;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What an access token is bound to, its {@code cnf} claim (RFC 7800 §3.1): the SHA-256 thumbprint of a DPoP key
 * ({@code jkt}, RFC 9449 §6.1), of a client certificate ({@code x5t#S256}, RFC 8705 §3.1), both, or nothing (a bearer
 * token).
 *
 * @param jkt the JWK thumbprint (RFC 7638) of the DPoP key, if bound to one
 * @param certificateThumbprint the certificate's {@code x5t#S256}, if bound to one
 */
public record Confirmation(Optional<String> jkt, Optional<String> certificateThumbprint) {

    /** The claim that holds it (RFC 7800 §3.1). */
    public static final String CLAIM = "cnf";
    /** RFC 9449 §6.1. */
    static final String JKT = "jkt";
    /** RFC 8705 §3.1. */
    static final String X5T_S256 = "x5t#S256";
    /** RFC 9449 §5: the token_type of a DPoP-bound token; RFC 6750 otherwise. */
    public static final String DPOP = "DPoP";
    public static final String BEARER = "Bearer";

    /** A bearer token: bound to nothing. */
    public static final Confirmation NONE = new Confirmation(Optional.empty(), Optional.empty());

    public boolean bound() {
        return jkt.isPresent() || certificateThumbprint.isPresent();
    }

    /** Its {@code cnf} claim's value. */
    public Map<String, Object> claim() {
        Map<String, Object> cnf = new LinkedHashMap<>();
        jkt.ifPresent(value -> cnf.put(JKT, value));
        certificateThumbprint.ifPresent(value -> cnf.put(X5T_S256, value));
        return Map.copyOf(cnf);
    }

    /** The token response's (and introspection's) {@code token_type}: DPoP for a token bound to a DPoP key. */
    public String tokenType() {
        return jkt.isPresent() ? DPOP : BEARER;
    }

    /** The binding a token's claims state (anything but an object of strings there is none). */
    public static Confirmation of(Map<String, Object> claims) {
        if (!(claims.get(CLAIM) instanceof Map<?, ?> cnf)) {
            return NONE;
        }
        return new Confirmation(Optional.ofNullable(cnf.get(JKT) instanceof String value ? value : null),
                Optional.ofNullable(cnf.get(X5T_S256) instanceof String value ? value : null));
    }

    /** The token_type of a token with these claims. */
    public static String tokenTypeOf(Map<String, Object> claims) {
        return of(claims).tokenType();
    }
}
