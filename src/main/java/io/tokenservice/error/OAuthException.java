package io.tokenservice.error;

/**
 * The one exception of the service's OAuth protocol: an {@link OAuthError} and a description safe to show the
 * client. Details that would help an attacker go to the log, never into the description. Domain code throws
 * its own exceptions instead; {@link ErrorMapper} maps both to the wire.
 */
public final class OAuthException extends RuntimeException {

    private final OAuthError error;
    private final String field;

    public OAuthException(OAuthError error, String description) {
        this(error, description, null);
    }

    private OAuthException(OAuthError error, String description, String field) {
        // No stack trace: these are expected outcomes of bad requests, thrown at request rate.
        super(description, null, false, false);
        this.error = error;
        this.field = field;
    }

    public static OAuthException invalidRequest(String description) {
        return new OAuthException(OAuthError.INVALID_REQUEST, description);
    }

    /** A 400 naming the request field (or query parameter) that is wrong, RFC 7591 §3.2.2. */
    public static OAuthException invalidField(String field, String description) {
        return new OAuthException(OAuthError.INVALID_CLIENT_METADATA, description, field);
    }

    public OAuthError error() {
        return error;
    }

    public String description() {
        return getMessage();
    }

    /** The field a validation error is about, or null. */
    public String field() {
        return field;
    }
}
