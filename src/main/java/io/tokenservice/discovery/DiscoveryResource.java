package io.tokenservice.discovery;

import io.tokenservice.client.ClientAuthMethod;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.endpoint.EndpointUrls;
import io.tokenservice.endpoint.Endpoints;
import io.tokenservice.jose.Signatures;
import io.tokenservice.key.SigningKeys;
import io.tokenservice.token.Grants;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The authorization server metadata of RFC 8414, at {@code /.well-known/oauth-authorization-server} and, for
 * the many clients and mesh proxies that look there, at {@code /.well-known/openid-configuration} (OpenID Connect
 * Discovery 1.0 §4). For an issuer with a path, RFC 8414 §3.1 inserts the path after the well-known name and
 * OpenID Connect appends the well-known name to it; both locations answer, as does the plain one, so the
 * document is found whether or not a proxy strips the issuer's path. Endpoint URLs are the issuer's.
 */
@Path("/")
public class DiscoveryResource {

    static final String OAUTH = ".well-known/oauth-authorization-server";
    static final String OPENID = ".well-known/openid-configuration";
    private static final List<String> CLIENT_AUTH_METHODS = java.util.Arrays.stream(ClientAuthMethod.values())
            .map(ClientAuthMethod::value).toList();

    private final SigningKeys keys;
    private final String issuer;
    private final List<String> scopes;
    private final String cacheControl;
    private final Grants grants;
    private final EndpointUrls urls;

    DiscoveryResource(SigningKeys keys, TokenServiceConfig config, Grants grants, EndpointUrls urls) {
        this.urls = urls;
        this.keys = keys;
        this.grants = grants;
        this.issuer = config.issuer();
        this.scopes = config.discovery().scopesSupported().orElse(List.of());
        // The document lists the published keys' algorithms: cached as long as the JWKS.
        this.cacheControl = JwksResource.cacheControl(config);
    }

    @GET
    @Path(OAUTH)
    @Produces(MediaType.APPLICATION_JSON)
    public RestResponse<Map<String, Object>> oauthAuthorizationServer() {
        return document();
    }

    @GET
    @Path(OPENID)
    @Produces(MediaType.APPLICATION_JSON)
    public RestResponse<Map<String, Object>> openidConfiguration() {
        return document();
    }

    private RestResponse<Map<String, Object>> document() {
        List<String> algorithms = keys.published().stream().map(key -> key.key().algorithm().name()).distinct().toList();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", issuer);
        metadata.put("token_endpoint", urls.of(Endpoints.TOKEN));
        metadata.put("jwks_uri", urls.of(Endpoints.JWKS));
        metadata.put("introspection_endpoint", urls.of(Endpoints.INTROSPECTION));
        metadata.put("revocation_endpoint", urls.of(Endpoints.REVOCATION));
        if (!scopes.isEmpty()) {
            metadata.put("scopes_supported", scopes);
        }
        // No authorization endpoint, so no response type (RFC 8414 §2 makes the member REQUIRED).
        metadata.put("response_types_supported", List.of());
        metadata.put("grant_types_supported", grants.types());
        metadata.put("token_endpoint_auth_methods_supported", CLIENT_AUTH_METHODS);
        metadata.put("introspection_endpoint_auth_methods_supported", CLIENT_AUTH_METHODS);
        metadata.put("revocation_endpoint_auth_methods_supported", CLIENT_AUTH_METHODS);
        // RFC 8414 §2: the algorithms of private_key_jwt assertions, at each endpoint that takes them.
        metadata.put("token_endpoint_auth_signing_alg_values_supported", Signatures.ALGORITHMS);
        metadata.put("introspection_endpoint_auth_signing_alg_values_supported", Signatures.ALGORITHMS);
        metadata.put("revocation_endpoint_auth_signing_alg_values_supported", Signatures.ALGORITHMS);
        // The algorithms access tokens are signed with. No member of RFC 8414 names them; OpenID Connect
        // Discovery's is where verifiers reading openid-configuration look, and it requires subject types.
        metadata.put("id_token_signing_alg_values_supported", algorithms);
        metadata.put("subject_types_supported", List.of("public"));
        // RFC 8705 §3.3 and §5: certificate-bound tokens, and where the endpoints take client certificates apart.
        metadata.put("tls_client_certificate_bound_access_tokens", true);
        if (urls.hasMtlsAlias()) {
            metadata.put("mtls_endpoint_aliases", Map.of(
                    "token_endpoint", urls.mtlsAliasOf(Endpoints.TOKEN).orElseThrow(),
                    "introspection_endpoint", urls.mtlsAliasOf(Endpoints.INTROSPECTION).orElseThrow(),
                    "revocation_endpoint", urls.mtlsAliasOf(Endpoints.REVOCATION).orElseThrow()));
        }
        // RFC 9449 §5.1: the algorithms DPoP proofs may use.
        metadata.put("dpop_signing_alg_values_supported", Signatures.ALGORITHMS);
        return RestResponse.ResponseBuilder.ok(metadata).header(HttpHeaders.CACHE_CONTROL, cacheControl).build();
    }
}
