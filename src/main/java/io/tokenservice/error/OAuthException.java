package io.tokenservice.error;

import java.util.OptionalInt;

/**
 * The one exception of the service's HTTP API: an {@link OAuthError} and a description safe to show the
 * client. Details that would help an attacker go to the log, never into the description.
 */
public final class OAuthException extends RuntimeException {

    private final OAuthError error;
    private final OptionalInt retryAfterSeconds;
    private final String field;

    public OAuthException(OAuthError error, String description) {
        this(error, description, OptionalInt.empty(), null);
    }

    private OAuthException(OAuthError error, String description, OptionalInt retryAfterSeconds, String field) {
        // No stack trace: these are expected outcomes of bad requests, thrown at request rate.
        super(description, null, false, false);
        this.error = error;
        this.retryAfterSeconds = retryAfterSeconds;
        this.field = field;
    }

    /** A 503 that tells the client when to come back (RFC 9110 §10.2.3). */
    public static OAuthException unavailable(String description, int retryAfterSeconds) {
        return new OAuthException(OAuthError.TEMPORARILY_UNAVAILABLE, description, OptionalInt.of(retryAfterSeconds), null);
    }

    /** Every client-authentication failure looks the same, whatever its cause (RFC 6749 §5.2 invalid_client). */
    public static OAuthException invalidClient() {
        return new OAuthException(OAuthError.INVALID_CLIENT, "Client authentication failed");
    }

    public static OAuthException invalidRequest(String description) {
        return new OAuthException(OAuthError.INVALID_REQUEST, description);
    }

    /** A 400 naming the request field (or query parameter) that is wrong. */
    public static OAuthException invalidField(String field, String description) {
        return new OAuthException(OAuthError.INVALID_CLIENT_METADATA, description, OptionalInt.empty(), field);
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

    /** The field a validation error is about, or null. */
    public String field() {
        return field;
    }
}
