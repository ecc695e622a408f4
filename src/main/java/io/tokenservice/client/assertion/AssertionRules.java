package io.tokenservice.client.assertion;

import io.tokenservice.jose.JwtRules;
import io.tokenservice.jose.ServiceAudiences;
import io.tokenservice.jose.UnverifiedJwt;
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

    private AssertionRules() {
    }

    /**
     * The rules for a private_key_jwt assertion.
     *
     * @param audiences what aud must be (RFC 7523 §3 item 3, as draft-ietf-oauth-rfc7523bis narrows it): one of
     *     them, as a single string
     * @param maxLifetime the longest exp may lie after iat, or after now when there is no iat
     */
    public static Optional<String> problem(UnverifiedJwt assertion, ServiceAudiences audiences,
            Duration maxLifetime, Instant now, Duration skew) {
        if (!assertion.audienceIsString() || !Set.of(audiences.issuer(), audiences.tokenEndpoint())
                .contains(assertion.audience().get(0))) {
            return Optional.of("aud is not one string naming our issuer or token endpoint: " + assertion.audience());
        }
        Optional<String> common = JwtRules.common(assertion, Set.copyOf(assertion.audience()), now, skew);
        if (common.isPresent()) {
            return common;
        }
        Instant start = assertion.issuedAt() != null ? assertion.issuedAt() : now;
        if (Duration.between(start, assertion.expiresAt()).compareTo(maxLifetime) > 0) {
            return Optional.of("lives longer than " + maxLifetime + " (exp " + assertion.expiresAt() + ")");
        }
        // jti (OPTIONAL in RFC 7523, REQUIRED here, as in OpenID Connect Core §9): what replay is checked on.
        return JwtRules.jti(assertion);
    }

}
