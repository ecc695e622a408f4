package io.tokenservice.throttle;

import java.time.Duration;

/**
 * A request beyond a budget: too many failed authentications from its source or for its client, or a client past
 * its token quota. Answered without any slow hash: 429 {@code slow_down} (RFC 8628 §3.5) with {@code Retry-After}.
 */
public final class ThrottledException extends RuntimeException {

    /** Which budget was spent, for metrics and the log; the wire says slow_down for every one. */
    public enum Limit {
        /** Failed authentications from the request's source address. */
        SOURCE,
        /** Failed authentications for the client, from a source that failed for it. */
        CLIENT,
        /** A source that failed recently found the suspects' hashing lane full or too slow. */
        SUSPECT_LANE,
        /** The client's token quota. */
        TOKEN_QUOTA,
        /** The client's revocations per minute. */
        REVOCATIONS,
        /** The client's single-use assertions per minute (each one a write to the replay store). */
        SINGLE_USE_ASSERTIONS
    }

    private final Limit limit;
    private final Duration retryAfter;

    public ThrottledException(Limit limit, String reason, Duration retryAfter) {
        super(reason, null, false, false);
        this.limit = limit;
        this.retryAfter = retryAfter;
    }

    /** The budget that was spent. */
    public Limit limit() {
        return limit;
    }

    /** When the budget has refilled enough for one more request. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
