package io.tokenservice.jose;

import java.util.Optional;

/**
 * A DPoP proof (RFC 9449 §4) that cannot be accepted: forged, replayed, stale, for another request or key, or
 * without the nonce this service asks for. The token endpoint answers {@code invalid_dpop_proof} or
 * {@code use_dpop_nonce} (§5, §8), a resource {@code invalid_token}; the log says why. No stack trace: it is answered
 * at the rate of requests.
 */
public final class DpopProofRejectedException extends RuntimeException {

    private final boolean nonceNeeded;
    private final Optional<String> freshNonce;

    DpopProofRejectedException(String why, boolean nonceNeeded, Optional<String> freshNonce) {
        super(why, null, false, false);
        this.nonceNeeded = nonceNeeded;
        this.freshNonce = freshNonce;
    }

    /** Whether the proof only lacked a current nonce: {@code use_dpop_nonce}, retried with {@link #freshNonce}. */
    public boolean nonceNeeded() {
        return nonceNeeded;
    }

    /** The nonce the client is to use next ({@code DPoP-Nonce}), when this service asks for nonces. */
    public Optional<String> freshNonce() {
        return freshNonce;
    }
}
