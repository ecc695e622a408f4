package io.tokenservice.client.assertion;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The claim rules of RFC 7523 §3 for a client assertion whose signature verified, as a pure decision: the problem
 * found, named for the log, or empty when the assertion may be accepted. Times allow {@code skew} of clock
 * difference either way.
 */
public final class AssertionRules {

    static final int MAX_JTI_LENGTH = 256;

    private AssertionRules() {
    }

    /**
     * @param audiences the values of which aud must contain at least one (RFC 7523 §3 item 3)
     * @param maxLifetime the longest exp may lie after iat, or after now when there is no iat
     */
    public static Optional<String> problem(UnverifiedAssertion assertion, Set<String> audiences, Duration maxLifetime,
            Instant now, Duration skew) {
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
        Instant start = assertion.issuedAt() != null ? assertion.issuedAt() : now;
        if (Duration.between(start, assertion.expiresAt()).compareTo(maxLifetime) > 0) {
            return Optional.of("lives longer than " + maxLifetime + " (exp " + assertion.expiresAt() + ")");
        }
        // jti (OPTIONAL in RFC 7523, REQUIRED here, as in OpenID Connect Core §9): what replay is checked on.
        if (assertion.jwtId() == null || assertion.jwtId().isEmpty() || assertion.jwtId().length() > MAX_JTI_LENGTH) {
            return Optional.of("no jti of 1 to " + MAX_JTI_LENGTH + " characters");
        }
        return Optional.empty();
    }
}
