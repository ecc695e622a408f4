package io.tokenservice.client;

/**
 * Why a client failed to authenticate, for the log and for metrics. On the wire every one of them is the same
 * {@code invalid_client} (RFC 6749 §5.2), so that a caller learns nothing about which clients exist.
 */
public enum AuthenticationFailure {
    /** No client authentication in the request, or a scheme other than Basic. */
    NO_CREDENTIALS(false),
    /** No client has the presented client_id. */
    UNKNOWN_CLIENT(true),
    /** The client exists and the secret did not verify against its current or grace-window secret. */
    BAD_SECRET(true),
    /** The credentials verified, but the client is disabled. */
    DISABLED(false),
    /**
     * The client is registered for another token_endpoint_auth_method than the request uses (an assertion naming a
     * secret client proves nothing: a guess).
     */
    METHOD_MISMATCH(true),
    /**
     * A client assertion that is not a JWS JWT, of an unsupported assertion type, or whose iss and sub are not one
     * client_id (or not the client_id the request names), RFC 7523 §3.
     */
    MALFORMED_ASSERTION(true),
    /** A client assertion whose signature no key of its client verifies, or made with an algorithm we refuse. */
    BAD_SIGNATURE(true),
    /** A client assertion that verified but breaks a rule of RFC 7523 §3: audience, expiry, lifetime, jti. */
    ASSERTION_REJECTED(false),
    /** A client assertion whose jti was accepted before, on any replica, RFC 7523 §3 item 7. */
    REPLAYED_ASSERTION(true),
    /** A trusted issuer's token verified, but no client is registered for its (issuer, subject) pair. */
    UNKNOWN_SUBJECT(true),
    /**
     * The client authenticates with its TLS certificate and the request's certificate is not its: no trusted chain,
     * another subject, a key not in its set, or outside its validity (anyone can present some certificate: a guess).
     */
    BAD_CERTIFICATE(true),
    /** The client's jwks_uri could not be fetched (time limit, size limit, status, not a JWK Set) and none is cached. */
    KEYS_UNAVAILABLE(false);

    private final boolean guess;

    AuthenticationFailure(boolean guess) {
        this.guess = guess;
    }

    /**
     * Whether anyone can cause it without a client's secret or key: charged to the failure budgets and logged at
     * debug, at the rate of guesses. The one place this is decided.
     */
    public boolean guess() {
        return guess;
    }
}
