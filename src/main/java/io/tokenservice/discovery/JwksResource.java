package io.tokenservice.discovery;

import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.endpoint.Endpoints;
import io.tokenservice.key.SigningKeys;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * {@code GET /.well-known/jwks.json}: the public signing keys as a JWK Set (RFC 7517 §5), including a key that
 * has yet to sign. Verifiers may cache it for publish-ahead less refresh-interval: a replica publishes a new
 * key at most refresh-interval after it is stored, so a cached copy is renewed before that key signs.
 */
@Path(Endpoints.JWKS)
public class JwksResource {

    private final SigningKeys keys;
    private final String cacheControl;

    JwksResource(SigningKeys keys, TokenServiceConfig config) {
        this.keys = keys;
        this.cacheControl = cacheControl(config);
    }

    /** How long a verifier may cache what depends on the published keys: publish-ahead less refresh-interval. */
    static String cacheControl(TokenServiceConfig config) {
        long maxAge = Math.max(0, config.keys().publishAhead().minus(config.keys().refreshInterval()).toSeconds());
        return "public, max-age=" + maxAge;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public RestResponse<Map<String, List<Map<String, Object>>>> jwks() {
        List<Map<String, Object>> published = keys.published().stream().map(key -> key.key().publicJwk()).toList();
        return RestResponse.ResponseBuilder.ok(Map.of("keys", published))
                .header(HttpHeaders.CACHE_CONTROL, cacheControl)
                .build();
    }
}
