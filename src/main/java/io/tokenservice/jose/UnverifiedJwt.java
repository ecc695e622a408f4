package io.tokenservice.jose;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;

/**
 * A JWT presented to us (a client assertion, a trusted issuer's token, a subject token) read but not yet verified:
 * enough to find whose keys verify it. Nothing here may be trusted until {@link Signatures} has verified
 * {@link #jws}.
 *
 * @param jws the parsed JWS, to verify
 * @param algorithm the JOSE header's alg
 * @param keyId the JOSE header's kid, if any
 * @param issuer iss; for private_key_jwt the client_id (RFC 7523 §3 item 1)
 * @param subject sub; for private_key_jwt the client_id too (RFC 7523 §3 item 2.B)
 * @param audience aud, one or more
 * @param audienceIsString whether aud is a single JSON string (RFC 7519 §4.1.3 allows that or an array)
 * @param expiresAt exp (RFC 7523 §3 item 4 makes it REQUIRED), or null when absent
 * @param issuedAt iat, or null
 * @param notBefore nbf, or null
 * @param jwtId jti, or null
 * @param claims every claim, as sent
 */
public record UnverifiedJwt(JsonWebSignature jws, String algorithm, Optional<String> keyId, String issuer,
        String subject, List<String> audience, boolean audienceIsString, Instant expiresAt, Instant issuedAt, Instant notBefore, String jwtId,
        java.util.Map<String, Object> claims) {

    /**
     * Parses a compact JWS JWT.
     *
     * @throws JwtRejectedException {@link JwtRejectedException.Reason#MALFORMED} when it is not one,
     *     is encrypted, or lacks iss or sub
     */
    public static UnverifiedJwt parse(String compact) {
        UnverifiedJwt read;
        try {
            if (!(JsonWebStructure.fromCompactSerialization(compact) instanceof JsonWebSignature jws)) {
                throw malformed();
            }
            JwtClaims claims = JwtClaims.parse(jws.getUnverifiedPayload());
            read = new UnverifiedJwt(jws, jws.getAlgorithmHeaderValue(), Optional.ofNullable(jws.getKeyIdHeaderValue()),
                    claims.getIssuer(), claims.getSubject(), claims.hasAudience() ? claims.getAudience() : List.of(),
                    claims.getClaimValue("aud") instanceof String,
                    instant(claims.getExpirationTime()), instant(claims.getIssuedAt()), instant(claims.getNotBefore()),
                    claims.getJwtId(), claims.getClaimsMap());
        } catch (JoseException | InvalidJwtException | MalformedClaimException | RuntimeException e) {
            // RuntimeException too: a header member of the wrong JSON type is a ClassCastException in jose4j, a
            // time beyond Instant's range a DateTimeException. Whatever an attacker sends is malformed, never a 5xx.
            throw malformed();
        }
        if (read.issuer() == null || read.subject() == null || read.algorithm() == null) {
            throw malformed();
        }
        // Issuers, subjects and jtis are looked up in and written to PostgreSQL, whose text cannot hold U+0000.
        if (holdsNul(read.issuer()) || holdsNul(read.subject()) || holdsNul(read.jwtId())) {
            throw malformed();
        }
        return read;
    }

    /** One claim as sent, or null. */
    public Object claim(String name) {
        return claims.get(name);
    }

    /** A NumericDate as an instant; outside years 1970 to 9999 it is malformed (no issuer means those). */
    private static Instant instant(NumericDate date) {
        if (date == null) {
            return null;
        }
        if (date.getValue() < 0 || date.getValue() > LATEST_SECOND) {
            throw malformed();
        }
        return Instant.ofEpochSecond(date.getValue());
    }

    private static final long LATEST_SECOND = 253_402_300_799L;

    private static boolean holdsNul(String value) {
        return value != null && value.indexOf('\u0000') >= 0;
    }

    private static JwtRejectedException malformed() {
        return new JwtRejectedException(JwtRejectedException.Reason.MALFORMED);
    }
}
