package io.tokenservice.revocation;

import io.smallrye.mutiny.Uni;
import io.tokenservice.client.ClientAuthenticator;
import io.tokenservice.client.ClientCredentials;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.error.Failures;
import io.tokenservice.error.NoStore;
import io.tokenservice.error.OAuthError;
import io.tokenservice.error.OAuthException;
import io.tokenservice.token.AccessTokenVerifier;
import io.tokenservice.token.FormBody;
import io.tokenservice.token.VerifiedToken;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * {@code POST /oauth2/revoke} (RFC 7009): a client, authenticated as at the token endpoint, revokes one of its
 * own access tokens. 200 with an empty body when the token is revoked, already was, or is not a valid token of
 * ours at all (§2.2: nothing to do); unauthorized_client when the token was issued to another client (§2.1).
 * The hint {@code token_type_hint} is accepted and ignored: this service issues access tokens only.
 */
@Path("/oauth2/revoke")
public class RevocationResource {

    private static final Set<String> KNOWN = Set.of("token", "token_type_hint", "client_id", "client_secret");

    private final ClientAuthenticator authenticator;
    private final AccessTokenVerifier verifier;
    private final RevokedTokens revoked;
    private final int maxBodyBytes;

    RevocationResource(ClientAuthenticator authenticator, AccessTokenVerifier verifier, RevokedTokens revoked,
            TokenServiceConfig config) {
        this.authenticator = authenticator;
        this.verifier = verifier;
        this.revoked = revoked;
        this.maxBodyBytes = config.token().maxRequestBytes();
    }

    @POST
    public Uni<RestResponse<Void>> revoke(HttpHeaders headers, String body) {
        FormBody form = FormBody.parse(headers.getHeaderString(HttpHeaders.CONTENT_TYPE), body, maxBodyBytes, KNOWN, Set.of());
        // token (REQUIRED), RFC 7009 §2.1
        String token = form.require("token");
        ClientCredentials credentials = ClientCredentials.from(headers.getRequestHeader(HttpHeaders.AUTHORIZATION),
                form.get("client_id"), form.get("client_secret"));
        return authenticator.authenticate(credentials)
                .flatMap(caller -> revoke(caller.clientId(), verifier.read(token)))
                .map(ignored -> NoStore.apply(RestResponse.ResponseBuilder.<Void>ok()).build())
                .onFailure().transform(Failures::translate);
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
