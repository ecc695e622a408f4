package io.tokenservice.token;

import io.smallrye.mutiny.Uni;
import io.tokenservice.binding.TokenBindings;
import io.tokenservice.client.ClientAuthentication;
import io.tokenservice.client.ClientAuthenticator;
import io.tokenservice.client.PresentedCertificate;
import io.tokenservice.endpoint.ClientCertificates;
import io.tokenservice.endpoint.ClientCredentialsParser;
import io.tokenservice.endpoint.Endpoints;
import io.tokenservice.endpoint.Sources;
import io.tokenservice.error.ErrorMapper;
import io.tokenservice.error.NoStore;
import io.tokenservice.jose.DpopProofs;
import io.tokenservice.throttle.TokenQuota;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * {@code POST /oauth2/token}. A thin adapter: it hands the raw form and Authorization header to the stages of the
 * request path (parse, authenticate the client, check it is registered for the grant, find what the token is bound
 * to, take the client's quota, let the grant issue) and writes their result. Non-blocking end to end; secret hashing
 * happens on the hashing pool.
 */
@Path(Endpoints.TOKEN)
public class TokenResource {

    private final TokenRequestParser parser;
    private final ClientAuthenticator authenticator;
    private final Grants grants;
    private final TokenQuota quota;
    private final Sources sources;
    private final ClientCertificates certificates;
    private final TokenBindings bindings;

    TokenResource(TokenRequestParser parser, ClientAuthenticator authenticator, Grants grants, TokenQuota quota,
            Sources sources, ClientCertificates certificates, TokenBindings bindings) {
        this.certificates = certificates;
        this.bindings = bindings;
        this.parser = parser;
        this.authenticator = authenticator;
        this.grants = grants;
        this.quota = quota;
        this.sources = sources;
    }

    // No @Consumes: a request of any other content type gets the OAuth error, not a bare 415.
    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<TokenResponse>> token(HttpHeaders headers, HttpServerRequest http, String body) {
        TokenRequest request = parser.parse(headers.getHeaderString(HttpHeaders.CONTENT_TYPE), body);
        Optional<PresentedCertificate> certificate = certificates.of(http);
        ClientAuthentication credentials = ClientCredentialsParser.parse(headers.getRequestHeader(HttpHeaders.AUTHORIZATION),
                request.clientId(), request.clientSecret(), request.clientAssertionType(), request.clientAssertion(),
                certificate);
        String source = sources.of(http);
        return authenticator.authenticate(credentials, source)
                .invoke(client -> grants.requireRegistered(client, request.grantType()))
                // The binding before the quota: a proof refused (or sent again with a nonce) spends none of it.
                .flatMap(client -> bindings.confirm(client, headers.getRequestHeader(DpopProofs.HEADER), certificate, source)
                        .invoke(binding -> quota.take(client.clientId(), client.tokenRateLimit()))
                        .flatMap(binding -> request.issuance().issue(client, binding)))
                .map(token -> {
                    RestResponse.ResponseBuilder<TokenResponse> response = RestResponse.ResponseBuilder.ok(TokenResponse.of(token));
                    bindings.freshNonce().ifPresent(nonce -> response.header(ErrorMapper.DPOP_NONCE, nonce));
                    return NoStore.apply(response).build();
                });
    }
}
