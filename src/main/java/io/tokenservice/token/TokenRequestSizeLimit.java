package io.tokenservice.token;

import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.error.OAuthException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses an oversized token request from its {@code Content-Length}, before the body is read, with the
 * endpoint's own invalid_request rather than the HTTP layer's bare 413. Bodies without a length are bounded
 * by {@link TokenRequestParser} once read.
 */
public class TokenRequestSizeLimit {

    private final long maxBodyBytes;

    TokenRequestSizeLimit(TokenServiceConfig config) {
        this.maxBodyBytes = config.token().maxRequestBytes();
    }

    @ServerRequestFilter(preMatching = true)
    public void limit(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().equals("/oauth2/token")) {
            return;
        }
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null && !withinLimit(length)) {
            throw OAuthException.invalidRequest("Request body too large");
        }
    }

    private boolean withinLimit(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) <= maxBodyBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
