package io.tokenservice.client;

/**
 * Why a client failed to authenticate, for the log and for metrics. On the wire every one of them is the same
 * {@code invalid_client} (RFC 6749 §5.2), so that a caller learns nothing about which clients exist.
 */
public enum AuthenticationFailure {
    /** No client authentication in the request, or a scheme other than Basic. */
    NO_CREDENTIALS,
    /** No client has the presented client_id. */
    UNKNOWN_CLIENT,
    /** The client exists and the secret did not verify against its current or grace-window secret. */
    BAD_SECRET,
    /** The secret verified, but the client is disabled. */
    DISABLED,
    /** The client authenticated, but is registered for another token_endpoint_auth_method. */
    METHOD_MISMATCH,
    /**
     * A client assertion that is not a JWS JWT, of an unsupported assertion type, or whose iss and sub are not one
     * client_id (or not the client_id the request names), RFC 7523 §3.
     */
    MALFORMED_ASSERTION,
    /** A client assertion whose signature no key of its client verifies, or made with an algorithm we refuse. */
    BAD_SIGNATURE,
    /** A client assertion that verified but breaks a rule of RFC 7523 §3: audience, expiry, lifetime, jti. */
    ASSERTION_REJECTED,
    /** A client assertion whose jti was accepted before, on any replica, RFC 7523 §3 item 7. */
    REPLAYED_ASSERTION,
    /** A trusted issuer's token verified, but no client is registered for its (issuer, subject) pair. */
    UNKNOWN_SUBJECT,
    /** The client's jwks_uri could not be fetched (time limit, size limit, status, not a JWK Set) and none is cached. */
    KEYS_UNAVAILABLE
}
