package io.tokenservice.error;

import io.tokenservice.config.TokenServiceConfig;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Writes every error: the RFC 6749 §5.2 JSON body and the no-store headers of §5.1. Token-endpoint client
 * errors are 403 as the seed specifies, or the RFC's own statuses when {@code token-service.errors.rfc6749-status}
 * is true; every other error keeps its own status. Challenges follow RFC 6749 §5.2 (Basic, for invalid_client)
 * and RFC 6750 §3 (Bearer).
 */
public final class OAuthExceptionMapper {

    static final String REALM = "token-service";

    private final boolean rfcStatuses;

    public OAuthExceptionMapper(TokenServiceConfig config) {
        this.rfcStatuses = config.errors().rfc6749Status();
    }

    @ServerExceptionMapper
    public RestResponse<ErrorResponse> map(OAuthException exception) {
        OAuthError error = exception.error();
        int status = error.kind() == OAuthError.Kind.TOKEN_ENDPOINT && !rfcStatuses ? 403 : error.status();
        RestResponse.ResponseBuilder<ErrorResponse> response = RestResponse.ResponseBuilder
                .<ErrorResponse>create(status)
                .entity(new ErrorResponse(error.code(), exception.description(), exception.field()))
                .type(MediaType.APPLICATION_JSON_TYPE);
        NoStore.apply(response);
        exception.retryAfterSeconds().ifPresent(seconds -> response.header(HttpHeaders.RETRY_AFTER, seconds));
        String challenge = challenge(error, status, exception.description());
        if (challenge != null) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, challenge);
        }
        return response.build();
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
