package io.tokenservice.introspection;

import io.smallrye.mutiny.Uni;
import io.tokenservice.binding.Confirmation;
import io.tokenservice.client.ClientAuthenticator;
import io.tokenservice.endpoint.ClientCertificates;
import io.tokenservice.endpoint.Endpoints;
import io.tokenservice.endpoint.PresentedTokenParser.PresentedToken;
import io.tokenservice.endpoint.PresentedTokenParser;
import io.tokenservice.endpoint.Sources;
import io.tokenservice.error.NoStore;
import io.tokenservice.revocation.ActiveTokens;
import io.tokenservice.token.AccessTokenVerifier;
import io.tokenservice.token.VerifiedToken;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * {@code POST /oauth2/introspect} (RFC 7662): any registered client, authenticated as at the token endpoint, asks
 * whether a token is active. Active means ours (an access token, or a transaction token for our trust domain),
 * unexpired, not revoked, and of a client that still exists, is enabled and has not cut off its older tokens (nor,
 * for an exchanged token, has the client of its subject token): the answer is {@code active: true} with the token's
 * claims. Anything else, expired, revoked, malformed or foreign alike, is just {@code active: false}
 * (§2.2). A transaction token is active only to a caller that says it expects one ({@code token_type_hint}
 * {@code txn_token}): a resource server that checks only {@code active} never takes one for an access token. Other
 * hints are accepted and ignored. A sender-constrained token's answer carries its {@code cnf} (RFC 8705 §3.2, RFC 9449
 * §6.2) and, bound to a DPoP key, {@code token_type DPoP}: the resource server checks the binding.
 */
@Path(Endpoints.INTROSPECTION)
public class IntrospectionResource {

    private static final Map<String, Object> INACTIVE = Map.of("active", false);
    /** The token_type_hint of a caller that introspects transaction tokens. */
    static final String TRANSACTION_TOKEN_HINT = "txn_token";

    private final ClientAuthenticator authenticator;
    private final AccessTokenVerifier verifier;
    private final ActiveTokens active;
    private final PresentedTokenParser parser;
    private final Sources sources;
    private final ClientCertificates certificates;

    IntrospectionResource(ClientAuthenticator authenticator, AccessTokenVerifier verifier, ActiveTokens active,
            PresentedTokenParser parser, Sources sources, ClientCertificates certificates) {
        this.certificates = certificates;
        this.sources = sources;
        this.authenticator = authenticator;
        this.verifier = verifier;
        this.active = active;
        this.parser = parser;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Map<String, Object>>> introspect(HttpHeaders headers, HttpServerRequest http, String body) {
        PresentedToken presented = parser.parse(headers, body, certificates.of(http));
        return authenticator.authenticate(presented.caller(), sources.of(http))
                .flatMap(caller -> {
                    Optional<VerifiedToken> accessToken = verifier.read(presented.token());
                    if (accessToken.isPresent()) {
                        return honoured(accessToken).map(token -> describe(token, false));
                    }
                    if (!presented.hint().filter(TRANSACTION_TOKEN_HINT::equals).isPresent()) {
                        return Uni.createFrom().item(INACTIVE);
                    }
                    return honoured(verifier.readTransactionToken(presented.token())).map(token -> describe(token, true));
                })
                .map(answer -> NoStore.apply(RestResponse.ResponseBuilder.ok(answer)).build());
    }

    /** The token when it is ours, unexpired, and still honoured (see {@link ActiveTokens}). */
    private Uni<Optional<VerifiedToken>> honoured(Optional<VerifiedToken> token) {
        if (token.isEmpty()) {
            return Uni.createFrom().item(token);
        }
        return active.clientOf(token.get()).map(client -> client.isPresent() ? token : Optional.empty());
    }

    /**
     * The answer for a token: its claims ({@code act} of an exchanged token among them); a transaction token says so,
     * and that it is no access token ({@code token_type N_A}, as its token response said).
     */
    private static Map<String, Object> describe(Optional<VerifiedToken> token, boolean transactionToken) {
        if (token.isEmpty()) {
            return INACTIVE;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("active", true);
        // token_type, RFC 7662 §2.2: as in the token response (RFC 6749 §7.1, RFC 8693 §2.2.1)
        answer.put("token_type", transactionToken ? "N_A" : Confirmation.tokenTypeOf(token.get().claims()));
        if (transactionToken) {
            answer.put("issued_token_type", TRANSACTION_TOKEN);
        }
        answer.putAll(token.get().claims());
        return answer;
    }

    /** RFC 8693 §3 / draft-ietf-oauth-transaction-tokens: the token type of a transaction token. */
    private static final String TRANSACTION_TOKEN = "urn:ietf:params:oauth:token-type:txn_token";
}
