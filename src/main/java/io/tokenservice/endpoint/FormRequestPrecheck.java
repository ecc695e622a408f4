package io.tokenservice.endpoint;

import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.error.OAuthException;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a request to a form endpoint ({@link Endpoints#FORM}: RFC 6749 §4.4.2, RFC 7662 §2.1, RFC 7009 §2.1)
 * from its headers alone, before the body is read or the framework parses the content type: an oversized {@code Content-Length} or a content type other than the form get the endpoint's
 * own invalid_request instead of the HTTP layer's bare 413 or 400. Bodies without a length are bounded by
 * {@link FormBody} once read.
 */
public class FormRequestPrecheck {

    private final long maxBodyBytes;

    FormRequestPrecheck(TokenServiceConfig config) {
        this.maxBodyBytes = config.token().maxRequestBytes();
    }

    @ServerRequestFilter(preMatching = true)
    public void precheck(ContainerRequestContext request) {
        if (!request.getMethod().equals(HttpMethod.POST) || !Endpoints.FORM.contains(request.getUriInfo().getPath())) {
            return;
        }
        FormBody.requireForm(request.getHeaderString(HttpHeaders.CONTENT_TYPE));
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
