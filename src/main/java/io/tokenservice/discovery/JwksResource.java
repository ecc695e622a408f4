package io.tokenservice.discovery;

import io.tokenservice.key.SigningKey;
import io.tokenservice.key.SigningKeys;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestResponse;

/** {@code GET /.well-known/jwks.json}: the public signing keys as a JWK Set (RFC 7517 §5). */
@Path("/.well-known/jwks.json")
public class JwksResource {

    private final SigningKeys keys;

    JwksResource(SigningKeys keys) {
        this.keys = keys;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public RestResponse<Map<String, List<Map<String, Object>>>> jwks() {
        List<Map<String, Object>> published = keys.published().stream().map(SigningKey::publicJwk).toList();
        return RestResponse.ResponseBuilder.ok(Map.of("keys", published))
                .header(HttpHeaders.CACHE_CONTROL, "public, max-age=300")
                .build();
    }
}
