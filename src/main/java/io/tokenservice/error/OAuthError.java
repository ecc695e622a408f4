package io.tokenservice.error;

/**
 * The closed set of token-endpoint errors, each with its RFC 6749 §5.2 code and the status the RFC gives it.
 * The seed's deployments answer every 4xx here with 403 instead (see {@link OAuthExceptionMapper}).
 */
public enum OAuthError {
    INVALID_REQUEST("invalid_request", 400),
    INVALID_CLIENT("invalid_client", 401),
    INVALID_GRANT("invalid_grant", 400),
    UNAUTHORIZED_CLIENT("unauthorized_client", 400),
    UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400),
    INVALID_SCOPE("invalid_scope", 400),
    // RFC 6749 §4.1.2.1 defines these two for the authorization endpoint; token servers use them alike.
    SERVER_ERROR("server_error", 500),
    TEMPORARILY_UNAVAILABLE("temporarily_unavailable", 503);

    private final String code;
    private final int rfcStatus;

    OAuthError(String code, int rfcStatus) {
        this.code = code;
        this.rfcStatus = rfcStatus;
    }

    public String code() {
        return code;
    }

    public int rfcStatus() {
        return rfcStatus;
    }

    public boolean isServerFault() {
        return rfcStatus >= 500;
    }
}
