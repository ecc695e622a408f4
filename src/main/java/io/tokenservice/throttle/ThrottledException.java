package io.tokenservice.throttle;

import java.time.Duration;

/**
 * A request beyond a budget: too many failed authentications from its source or for its client, or a client past
 * its token quota. Answered without any slow hash: 429 {@code slow_down} (RFC 8628 §3.5) with {@code Retry-After}.
 */
public final class ThrottledException extends RuntimeException {

    private final Duration retryAfter;

    public ThrottledException(String reason, Duration retryAfter) {
        super(reason, null, false, false);
        this.retryAfter = retryAfter;
    }

    /** When the budget has refilled enough for one more request. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
