package io.tokenservice.revocation;

import io.smallrye.mutiny.Uni;
import io.tokenservice.client.ClientAuthenticator;
import io.tokenservice.endpoint.ClientCertificates;
import io.tokenservice.endpoint.Endpoints;
import io.tokenservice.endpoint.PresentedTokenParser.PresentedToken;
import io.tokenservice.endpoint.PresentedTokenParser;
import io.tokenservice.endpoint.Sources;
import io.tokenservice.error.NoStore;
import io.tokenservice.error.OAuthError;
import io.tokenservice.error.OAuthException;
import io.tokenservice.token.AccessTokenVerifier;
import io.tokenservice.token.VerifiedToken;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * {@code POST /oauth2/revoke} (RFC 7009): a client, authenticated as at the token endpoint, revokes one of its
 * own access or transaction tokens; every token exchanged from it dies with it ({@link ExchangedFrom}). 200 with an
 * empty body when the token is revoked, already was, or is not a valid token of ours at all (§2.2: nothing to do);
 * unauthorized_client when the token was issued to another client (§2.1). The hint {@code token_type_hint} is
 * accepted and ignored: the token says what it is.
 */
@Path(Endpoints.REVOCATION)
public class RevocationResource {

    private final ClientAuthenticator authenticator;
    private final AccessTokenVerifier verifier;
    private final RevokedTokens revoked;
    private final PresentedTokenParser parser;

    private final Sources sources;
    private final ClientCertificates certificates;

    RevocationResource(ClientAuthenticator authenticator, AccessTokenVerifier verifier, RevokedTokens revoked,
            PresentedTokenParser parser, Sources sources, ClientCertificates certificates) {
        this.certificates = certificates;
        this.sources = sources;
        this.authenticator = authenticator;
        this.verifier = verifier;
        this.revoked = revoked;
        this.parser = parser;
    }

    @POST
    public Uni<RestResponse<Void>> revoke(HttpHeaders headers, HttpServerRequest http, String body) {
        PresentedToken presented = parser.parse(headers, body, certificates.of(http));
        return authenticator.authenticate(presented.caller(), sources.of(http))
                .flatMap(caller -> revoke(caller.clientId(), verifier.read(presented.token())
                        .or(() -> verifier.readTransactionToken(presented.token()))))
                .map(ignored -> NoStore.apply(RestResponse.ResponseBuilder.<Void>ok()).build());
    }

    private Uni<Void> revoke(String callerId, Optional<VerifiedToken> token) {
        if (token.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        if (!token.get().clientId().equals(callerId)) {
            return Uni.createFrom().failure(new OAuthException(OAuthError.UNAUTHORIZED_CLIENT,
                    "The token was not issued to this client"));
        }
        return revoked.revoke(token.get().jwtId(), callerId, token.get().expiresAt());
    }
}
