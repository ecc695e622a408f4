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
    /** The secret verified, but the client is registered for another token_endpoint_auth_method. */
    METHOD_MISMATCH
}
