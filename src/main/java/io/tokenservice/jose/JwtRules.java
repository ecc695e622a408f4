package io.tokenservice.jose;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The claim rules every JWT presented to us keeps once its signature verified (RFC 7519 §4.1, RFC 7523 §3), as pure
 * decisions: the problem found, named for the log, or empty when the token may be accepted. Times allow
 * {@code skew} of clock difference either way.
 */
public final class JwtRules {

    static final int MAX_JTI_LENGTH = 256;

    private JwtRules() {
    }

    /**
     * The rules for a trusted issuer's token presented by a federated client: iat is required and at most
     * {@code maxAge} old (the issuer's tokens may live long; what we accept is young); a jti only when the issuer
     * does not allow reuse, since replay is checked on it then.
     */
    public static Optional<String> issuerTokenProblem(UnverifiedJwt assertion, Set<String> audiences,
            Duration maxAge, boolean jtiRequired, Instant now, Duration skew) {
        Optional<String> common = common(assertion, audiences, now, skew);
        if (common.isPresent()) {
            return common;
        }
        if (assertion.issuedAt() == null) {
            return Optional.of("no iat");
        }
        if (Duration.between(assertion.issuedAt(), now).compareTo(maxAge.plus(skew)) > 0) {
            return Optional.of("older than " + maxAge + " (iat " + assertion.issuedAt() + ")");
        }
        return jtiRequired ? jti(assertion) : Optional.empty();
    }

    public static Optional<String> common(UnverifiedJwt assertion, Set<String> audiences, Instant now,
            Duration skew) {
        if (assertion.audience().stream().noneMatch(audiences::contains)) {
            return Optional.of("aud names none of " + audiences);
        }
        // exp (REQUIRED), RFC 7523 §3 item 4
        if (assertion.expiresAt() == null) {
            return Optional.of("no exp");
        }
        if (!assertion.expiresAt().isAfter(now.minus(skew))) {
            return Optional.of("expired at " + assertion.expiresAt());
        }
        // nbf (OPTIONAL), RFC 7523 §3 item 5
        if (assertion.notBefore() != null && assertion.notBefore().isAfter(now.plus(skew))) {
            return Optional.of("not valid before " + assertion.notBefore());
        }
        // iat (OPTIONAL), RFC 7523 §3 item 6: "may reject JWTs with an iat claim value that is unreasonably far in
        // the past"; one from the future is never reasonable.
        if (assertion.issuedAt() != null && assertion.issuedAt().isAfter(now.plus(skew))) {
            return Optional.of("issued in the future, at " + assertion.issuedAt());
        }
        return Optional.empty();
    }

    public static Optional<String> jti(UnverifiedJwt assertion) {
        if (assertion.jwtId() == null || assertion.jwtId().isEmpty() || assertion.jwtId().length() > MAX_JTI_LENGTH) {
            return Optional.of("no jti of 1 to " + MAX_JTI_LENGTH + " characters");
        }
        return Optional.empty();
    }
}
