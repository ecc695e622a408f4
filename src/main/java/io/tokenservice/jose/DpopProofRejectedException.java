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
    private final boolean atResource;

    DpopProofRejectedException(String why, boolean nonceNeeded, Optional<String> freshNonce) {
        this(why, nonceNeeded, freshNonce, false);
    }

    private DpopProofRejectedException(String why, boolean nonceNeeded, Optional<String> freshNonce, boolean atResource) {
        super(why, null, false, false);
        this.nonceNeeded = nonceNeeded;
        this.freshNonce = freshNonce;
        this.atResource = atResource;
    }

    /** The same refusal where a protected resource checked the proof (RFC 9449 §7.1: 401 with a DPoP challenge). */
    public DpopProofRejectedException atResource() {
        return new DpopProofRejectedException(getMessage(), nonceNeeded, freshNonce, true);
    }

    /** Whether a protected resource refused it, not the token endpoint. */
    public boolean refusedAtResource() {
        return atResource;
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
