package io.tokenservice.jose;

/**
 * A JWT presented to us (a client assertion, a subject token, a proof) that cannot be accepted, for a reason each
 * of its readers turns into its own error: invalid_client for a client's assertion, invalid_request for a subject
 * token. Carries no stack trace: it is answered at the rate of requests.
 */
public final class JwtRejectedException extends RuntimeException {

    /** Why. */
    public enum Reason {
        /** Not a compact JWS JWT, or lacking what every one must carry. */
        MALFORMED,
        /** Its signature verified, but a claim breaks a rule (audience, expiry, age, jti); the log says which. */
        RULE_BROKEN,
        /** No usable key of its issuer verifies its signature, or its algorithm is refused. */
        BAD_SIGNATURE,
        /** Its issuer's keys cannot be had (a fetch failed and none is cached). */
        KEYS_UNAVAILABLE
    }

    private final Reason reason;

    public JwtRejectedException(Reason reason) {
        super(reason.name(), null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
