package io.tokenservice.error;

import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.RestResponse;

/** The cache headers RFC 6749 §5.1 requires on every token-endpoint response, success or error. */
public final class NoStore {

    private NoStore() {
    }

    public static <T> RestResponse.ResponseBuilder<T> apply(RestResponse.ResponseBuilder<T> response) {
        return response.header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache");
    }
}
