package io.tokenservice.error;

import io.tokenservice.client.ClientAuthenticationException;
import io.tokenservice.client.ClientExistsException;
import io.tokenservice.client.ClientNotFoundException;
import io.tokenservice.client.DeclaredClientException;
import io.tokenservice.client.secret.HashingFailedException;
import io.tokenservice.client.secret.HashingSaturatedException;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.database.DatabaseCalls;
import io.tokenservice.database.StoreUnavailableException;
import io.tokenservice.federation.ConfiguredIssuerException;
import io.tokenservice.federation.TrustedIssuerNotFoundException;
import io.tokenservice.jose.DpopProofRejectedException;
import io.tokenservice.jose.Signatures;
import io.tokenservice.key.NoSigningKeyException;
import io.tokenservice.key.RotationRefusedException;
import io.tokenservice.key.SigningSaturatedException;
import io.tokenservice.key.UnknownKeyException;
import io.tokenservice.throttle.ThrottledException;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one edge where failures become HTTP responses, for synchronous throws and failed {@code Uni}s alike: the
 * service's {@link OAuthException}s and the domain's own exceptions get the RFC 6749 §5.2 JSON body and the
 * no-store headers of §5.1. Token-endpoint client errors are 403 as the seed specifies, or the RFC's own
 * statuses when {@code token-service.errors.rfc6749-status} is true; every other error keeps its own status.
 * Challenges follow RFC 6749 §5.2 (Basic, for invalid_client) and RFC 6750 §3 (Bearer). Anything unexpected is
 * logged with its stack trace and answered with a bare 500 that reveals nothing.
 *
 * <p>Every failure it answers is counted by {@link FailureMetrics}, here where its kind is known.
 */
public final class ErrorMapper {

    static final String REALM = "token-service";
    /** RFC 9449 §8.1: the header that hands a client the nonce to put in its next proof. */
    public static final String DPOP_NONCE = "DPoP-Nonce";
    // PostgreSQL's SQLSTATE for a unique or primary key violation.
    private static final String UNIQUE_VIOLATION = "23505";
    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);
    /** What a saturated hashing pool or a replica still loading its keys asks the client to wait. */
    private static final int BUSY_RETRY_AFTER_SECONDS = 1;

    private final boolean rfcStatuses;
    private final int databaseRetryAfterSeconds;
    private final FailureMetrics metrics;

    @Inject
    public ErrorMapper(TokenServiceConfig config, FailureMetrics metrics) {
        this(config.errors().rfc6749Status(), config.database().retryAfterSeconds(), metrics);
    }

    ErrorMapper(boolean rfcStatuses, int databaseRetryAfterSeconds, FailureMetrics metrics) {
        this.rfcStatuses = rfcStatuses;
        this.databaseRetryAfterSeconds = databaseRetryAfterSeconds;
        this.metrics = metrics;
    }

    /**
     * Every failure of a request, found by its causes: the service's own exceptions first, then a lost
     * optimistic-lock race or a duplicate key (409), an unreachable database (503); JAX-RS' own exceptions (404,
     * 405) keep their response; anything else is a 500 that reveals nothing.
     */
    @ServerExceptionMapper
    public Response map(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof WebApplicationException web) {
                return web.getResponse();
            }
            RestResponse<ErrorResponse> known = known(cause);
            if (known != null) {
                count(cause, known);
                return known.toResponse();
            }
        }
        if (DatabaseCalls.isUnavailable(failure)) {
            LOG.warnf("Database unavailable: %s", failure.toString());
            RestResponse<ErrorResponse> unavailable = storeUnavailable();
            count(failure, unavailable);
            return unavailable.toResponse();
        }
        if (failure instanceof IOException) {
            // The client went away while the request was read or answered: nothing to tell it.
            LOG.debugf("Request I/O failed: %s", failure.toString());
        } else {
            LOG.error("Request failed", failure);
        }
        RestResponse<ErrorResponse> fault = body(500, OAuthError.SERVER_ERROR.code(), "Internal server error", null).build();
        count(failure, fault);
        return fault.toResponse();
    }

    private void count(Throwable cause, RestResponse<ErrorResponse> response) {
        metrics.answered(cause, response.getEntity().error(), response.getStatus());
    }

    /** The response for one of the service's own exceptions, or for a storage outcome it names; null otherwise. */
    private RestResponse<ErrorResponse> known(Throwable cause) {
        if (cause instanceof OAuthException e) {
            return oauth(e);
        } else if (cause instanceof ClientAuthenticationException) {
            // Every reason is the same invalid_client on the wire (RFC 6749 §5.2); the authenticator logged which.
            return oauth(new OAuthException(OAuthError.INVALID_CLIENT, "Client authentication failed"));
        } else if (cause instanceof DpopProofRejectedException rejected) {
            // RFC 9449 §5 and §8 at the token endpoint, §7.1 and §9 at a resource (401, a DPoP challenge); the proofs'
            // checker logged why. A fresh nonce goes with either.
            OAuthError error = rejected.nonceNeeded() ? OAuthError.USE_DPOP_NONCE : OAuthError.INVALID_DPOP_PROOF;
            String description = rejected.nonceNeeded() ? "Use the nonce of the DPoP-Nonce header" : "The DPoP proof is invalid";
            RestResponse.ResponseBuilder<ErrorResponse> response = rejected.refusedAtResource()
                    ? body(401, error.code(), description, null).header(HttpHeaders.WWW_AUTHENTICATE,
                            dpopChallenge(error.code(), description))
                    : oauthResponse(new OAuthException(error, description));
            rejected.freshNonce().ifPresent(nonce -> response.header(DPOP_NONCE, nonce));
            return response.build();
        } else if (cause instanceof HashingSaturatedException || cause instanceof HashingFailedException) {
            return unavailable("The server is busy; retry shortly", BUSY_RETRY_AFTER_SECONDS);
        } else if (cause instanceof SigningSaturatedException) {
            return unavailable("The server is busy; retry shortly", BUSY_RETRY_AFTER_SECONDS);
        } else if (cause instanceof NoSigningKeyException) {
            return unavailable("No current signing key is loaded; retry shortly", BUSY_RETRY_AFTER_SECONDS);
        } else if (cause instanceof StoreUnavailableException) {
            return storeUnavailable();
        } else if (cause instanceof ThrottledException e) {
            // RFC 8628 §3.5 slow_down; RFC 6585 §4: 429 with Retry-After, whole seconds rounded up.
            long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
            return body(429, "slow_down", e.getMessage(), null).header(HttpHeaders.RETRY_AFTER, seconds).build();
        } else if (cause instanceof ClientNotFoundException || cause instanceof UnknownKeyException
                || cause instanceof TrustedIssuerNotFoundException) {
            return body(404, "not_found", cause.getMessage(), null).build();
        } else if (cause instanceof ClientExistsException || cause instanceof RotationRefusedException
                || cause instanceof ConfiguredIssuerException || cause instanceof DeclaredClientException) {
            return conflict(cause.getMessage());
        } else if (cause instanceof jakarta.persistence.OptimisticLockException
                || cause.getClass().getName().equals("org.hibernate.StaleObjectStateException")
                || cause.getClass().getName().equals("org.hibernate.StaleStateException")) {
            return conflict("The resource was changed concurrently; read it and retry");
        } else if (cause instanceof io.vertx.pgclient.PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
            return alreadyExists(pg.getConstraint() + " " + pg.getMessage());
        } else if (cause instanceof org.hibernate.exception.ConstraintViolationException violation
                && UNIQUE_VIOLATION.equals(violation.getSQLState())) {
            // Hibernate Reactive reports a flush's unique violation this way, the driver's exception not in its causes.
            return alreadyExists(violation.getConstraintName() + " " + violation.getMessage());
        }
        return null;
    }

    private RestResponse<ErrorResponse> oauth(OAuthException exception) {
        return oauthResponse(exception).build();
    }

    private RestResponse.ResponseBuilder<ErrorResponse> oauthResponse(OAuthException exception) {
        OAuthError error = exception.error();
        int status = error.kind() == OAuthError.Kind.TOKEN_ENDPOINT && !rfcStatuses ? 403 : error.status();
        RestResponse.ResponseBuilder<ErrorResponse> response = body(status, error.code(), exception.description(),
                exception.field());
        String challenge = challenge(error, status, exception.description());
        if (challenge != null) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, challenge);
        }
        return response;
    }

    private RestResponse<ErrorResponse> storeUnavailable() {
        return unavailable("The service is temporarily unavailable", databaseRetryAfterSeconds);
    }

    /** A unique constraint refused a write: 409, saying which resource when the constraint tells. */
    private RestResponse<ErrorResponse> alreadyExists(String constraint) {
        return conflict(constraint.contains("federated_credential_pkey")
                ? "A pair of federated_credentials belongs to another client"
                : "The resource already exists");
    }

    private RestResponse<ErrorResponse> conflict(String description) {
        return body(409, "conflict", description, null).build();
    }

    /** A 503 that tells the client when to come back (RFC 9110 §10.2.3). */
    private RestResponse<ErrorResponse> unavailable(String description, int retryAfterSeconds) {
        return body(503, OAuthError.TEMPORARILY_UNAVAILABLE.code(), description, null)
                .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds).build();
    }

    private static RestResponse.ResponseBuilder<ErrorResponse> body(int status, String code, String description,
            String field) {
        return NoStore.apply(RestResponse.ResponseBuilder.<ErrorResponse>create(status)
                .entity(new ErrorResponse(code, description, field))
                .type(MediaType.APPLICATION_JSON_TYPE));
    }

    /** RFC 9449 §7.1: the DPoP scheme's challenge, with the algorithms proofs may use. */
    static String dpopChallenge(String error, String description) {
        return "DPoP algs=\"" + String.join(" ", Signatures.ALGORITHMS) + "\", error=\"" + error
                + "\", error_description=\"" + description.replace("\"", "'") + "\"";
    }

    private static String challenge(OAuthError error, int status, String description) {
        return switch (error) {
            // RFC 6749 §5.2: a 401 MUST carry WWW-Authenticate for the scheme the client used.
            case INVALID_CLIENT -> status == 401 ? "Basic realm=\"" + REALM + "\"" : null;
            // RFC 6750 §3.1: no error attributes when the request lacked authentication information.
            case MISSING_TOKEN -> "Bearer realm=\"" + REALM + "\"";
            case INVALID_TOKEN -> "Bearer realm=\"" + REALM + "\", error=\"invalid_token\", error_description=\""
                    + description.replace("\"", "'") + "\"";
            case INSUFFICIENT_SCOPE -> "Bearer realm=\"" + REALM + "\", error=\"insufficient_scope\", error_description=\""
                    + description.replace("\"", "'") + "\"";
            default -> null;
        };
    }
}
