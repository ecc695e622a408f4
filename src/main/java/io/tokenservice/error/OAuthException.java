package io.tokenservice.error;

import java.util.OptionalInt;

/**
 * The one exception of the token endpoint: an {@link OAuthError} and a description safe to show the client.
 * Details that would help an attacker go to the log, never into the description.
 */
public final class OAuthException extends RuntimeException {

    private final OAuthError error;
    private final OptionalInt retryAfterSeconds;

    public OAuthException(OAuthError error, String description) {
        this(error, description, OptionalInt.empty());
    }

    private OAuthException(OAuthError error, String description, OptionalInt retryAfterSeconds) {
        // No stack trace: these are expected outcomes of bad requests, thrown at request rate.
        super(description, null, false, false);
        this.error = error;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A 503 that tells the client when to come back (RFC 9110 §10.2.3). */
    public static OAuthException unavailable(String description, int retryAfterSeconds) {
        return new OAuthException(OAuthError.TEMPORARILY_UNAVAILABLE, description, OptionalInt.of(retryAfterSeconds));
    }

    /** Every client-authentication failure looks the same, whatever its cause (RFC 6749 §5.2 invalid_client). */
    public static OAuthException invalidClient() {
        return new OAuthException(OAuthError.INVALID_CLIENT, "Client authentication failed");
    }

    public static OAuthException invalidRequest(String description) {
        return new OAuthException(OAuthError.INVALID_REQUEST, description);
    }

    public OAuthError error() {
        return error;
    }

    public String description() {
        return getMessage();
    }

    public OptionalInt retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
