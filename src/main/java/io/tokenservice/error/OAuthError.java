package io.tokenservice.error;

/**
 * The closed set of errors the service answers with, each with its code and HTTP status: the token endpoint's
 * of RFC 6749 §5.2, the bearer-token errors of RFC 6750 §3.1 and the client-metadata errors of RFC 7591 §3.2.2
 * for the admin API. Token-endpoint client errors become 403 in the seed's mode (see {@link ErrorMapper}). The
 * admin API's {@code not_found} and {@code conflict} are not OAuth errors: {@link ErrorMapper} writes them for
 * the domain exceptions that mean them.
 */
public enum OAuthError {
    INVALID_REQUEST("invalid_request", 400, Kind.TOKEN_ENDPOINT),
    INVALID_CLIENT("invalid_client", 401, Kind.TOKEN_ENDPOINT),
    INVALID_GRANT("invalid_grant", 400, Kind.TOKEN_ENDPOINT),
    UNAUTHORIZED_CLIENT("unauthorized_client", 400, Kind.TOKEN_ENDPOINT),
    UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400, Kind.TOKEN_ENDPOINT),
    INVALID_SCOPE("invalid_scope", 400, Kind.TOKEN_ENDPOINT),
    /** RFC 8707 §2: a requested resource is invalid or not one this client may get a token for. */
    INVALID_TARGET("invalid_target", 400, Kind.TOKEN_ENDPOINT),
    /** RFC 9449 §5: the DPoP proof is missing (for a client that must send one), invalid, replayed or stale. */
    INVALID_DPOP_PROOF("invalid_dpop_proof", 400, Kind.TOKEN_ENDPOINT),
    /** RFC 9449 §8: the proof needs the nonce the response's DPoP-Nonce header gives. */
    USE_DPOP_NONCE("use_dpop_nonce", 400, Kind.TOKEN_ENDPOINT),
    // RFC 6749 §4.1.2.1 defines these two for the authorization endpoint; token servers use them alike.
    SERVER_ERROR("server_error", 500, Kind.SERVER),
    TEMPORARILY_UNAVAILABLE("temporarily_unavailable", 503, Kind.SERVER),
    /** RFC 6750 §3.1: no bearer token, or not one that can be read; the challenge carries no error code. */
    MISSING_TOKEN("unauthorized", 401, Kind.BEARER),
    /** RFC 6750 §3.1: expired, revoked, malformed or not ours. */
    INVALID_TOKEN("invalid_token", 401, Kind.BEARER),
    /** RFC 6750 §3.1: a valid token without the scope the resource needs. */
    INSUFFICIENT_SCOPE("insufficient_scope", 403, Kind.BEARER),
    /** RFC 7591 §3.2.2: a metadata field is invalid; the response names it. */
    INVALID_CLIENT_METADATA("invalid_client_metadata", 400, Kind.CLIENT_METADATA);

    /** Where an error arises, which decides its status and challenge. */
    public enum Kind {
        /** Token-endpoint client errors: 403 in the seed's mode, the RFC 6749 status otherwise. */
        TOKEN_ENDPOINT,
        /** Errors of a bearer-protected resource, with a {@code WWW-Authenticate: Bearer} challenge. */
        BEARER,
        /** The server's own faults, on any endpoint: always their own status. */
        SERVER,
        /** Client registration (RFC 7591 §3.2.2), the admin API's validation errors: always 400. */
        CLIENT_METADATA
    }

    private final String code;
    private final int status;
    private final Kind kind;

    OAuthError(String code, int status, Kind kind) {
        this.code = code;
        this.status = status;
        this.kind = kind;
    }

    public String code() {
        return code;
    }

    /** The status of the RFC that defines the error. */
    public int status() {
        return status;
    }

    public Kind kind() {
        return kind;
    }
}
