package io.tokenservice.client;

/** Client authentication failed, for a named {@link AuthenticationFailure}; the edge answers invalid_client. */
public final class ClientAuthenticationException extends RuntimeException {

    private final AuthenticationFailure reason;

    public ClientAuthenticationException(AuthenticationFailure reason) {
        // No stack trace: an expected outcome, thrown at the rate of wrong secrets.
        super(reason.name(), null, false, false);
        this.reason = reason;
    }

    public AuthenticationFailure reason() {
        return reason;
    }
}
