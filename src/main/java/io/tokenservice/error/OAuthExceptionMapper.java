package io.tokenservice.error;

import io.tokenservice.config.TokenServiceConfig;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Writes every token-endpoint error: the RFC 6749 §5.2 JSON body and the no-store headers of §5.1.
 * Client errors are 403 as the seed specifies, or the RFC's own statuses when
 * {@code token-service.errors.rfc6749-status} is true; server faults keep their 5xx either way.
 */
public final class OAuthExceptionMapper {

    private final boolean rfcStatuses;

    public OAuthExceptionMapper(TokenServiceConfig config) {
        this.rfcStatuses = config.errors().rfc6749Status();
    }

    @ServerExceptionMapper
    public RestResponse<ErrorResponse> map(OAuthException exception) {
        OAuthError error = exception.error();
        int status = error.isServerFault() || rfcStatuses ? error.rfcStatus() : 403;
        RestResponse.ResponseBuilder<ErrorResponse> response = RestResponse.ResponseBuilder
                .<ErrorResponse>create(status)
                .entity(new ErrorResponse(error.code(), exception.description()))
                .type(MediaType.APPLICATION_JSON_TYPE);
        NoStore.apply(response);
        exception.retryAfterSeconds().ifPresent(seconds -> response.header(HttpHeaders.RETRY_AFTER, seconds));
        if (status == 401) {
            // RFC 6749 §5.2: a 401 MUST carry WWW-Authenticate for the scheme the client used.
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"token-service\"");
        }
        return response.build();
    }
}
