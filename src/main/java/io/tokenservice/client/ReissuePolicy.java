package io.tokenservice.client;

import java.util.OptionalDouble;

/**
 * Whether a client's repeat requests may get back the token already issued to it ({@code token.ReissueWindow}), and
 * how much of its lifetime that token must still have.
 *
 * @param enabled its metadata's {@code reissue} (default true)
 * @param minRemaining its metadata's {@code reissue_min_remaining}, a share between 0 and 1; empty for
 *     {@code token-service.reissue.min-remaining}
 */
public record ReissuePolicy(boolean enabled, OptionalDouble minRemaining) {

    /** The default: reissue on, the service's window. */
    public static final ReissuePolicy DEFAULT = new ReissuePolicy(true, OptionalDouble.empty());
}
