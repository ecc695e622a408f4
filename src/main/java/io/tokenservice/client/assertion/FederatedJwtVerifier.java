package io.tokenservice.client.assertion;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.tokenservice.client.AuthenticationFailure;
import io.tokenservice.client.ClientAssertion;
import io.tokenservice.client.ClientAuthMethod;
import io.tokenservice.client.ClientAuthenticator;
import io.tokenservice.client.ClientAuthenticationException;
import io.tokenservice.client.ClientDirectory;
import io.tokenservice.client.ClientSnapshot;
import io.tokenservice.federation.IssuerPolicy;
import io.tokenservice.federation.IssuerTokens;
import io.tokenservice.jose.UnverifiedJwt;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Authenticates a federated_jwt client by a token of a trusted issuer (a Kubernetes service-account token, a
 * SPIFFE JWT-SVID): the token keeps its issuer's rules ({@link IssuerTokens}), the (issuer, sub) pair
 * is registered for a client (found through {@link ClientDirectory}), and, unless the issuer allows reuse, the jti was never
 * accepted before on any replica; the authenticator's policy (enabled, federated_jwt, the client_id the request
 * names) is applied before the jti is spent. Fails with {@link ClientAuthenticationException} naming the reason.
 */
@ApplicationScoped
public class FederatedJwtVerifier {

    private static final Logger LOG = Logger.getLogger(FederatedJwtVerifier.class);

    private final ClientDirectory directory;
    private final IssuerTokens tokens;

    FederatedJwtVerifier(ClientDirectory directory, IssuerTokens tokens) {
        this.directory = directory;
        this.tokens = tokens;
    }

    /** The client the token names. With {@code cachedOnly}, nothing is looked up or fetched. */
    @WithSpan("client.verify_federated_token")
    public Uni<ClientSnapshot> verify(ClientAssertion presented, UnverifiedJwt token, IssuerPolicy issuer,
            boolean cachedOnly) {
        return tokens.verified(token, issuer, cachedOnly)
                .flatMap(ignored -> directory.findBySubject(token.issuer(), token.subject(), cachedOnly))
                .flatMap(found -> {
                    if (found.isEmpty()) {
                        if (!cachedOnly) {
                            // Not cached is not unknown: a throttled request is refused as throttled, and says nothing here.
                            LOG.infof("Token of trusted issuer '%s' for '%s': no client is registered for it",
                                    issuer.name(), token.subject());
                        }
                        return Uni.createFrom().failure(new ClientAuthenticationException(AuthenticationFailure.UNKNOWN_SUBJECT));
                    }
                    // The policy before the jti is spent: a token refused is not used up.
                    ClientSnapshot client = ClientAuthenticator.allowed(ClientAuthMethod.FEDERATED_JWT,
                            presented.clientId(), found.get());
                    // Budgeted per client: every workload of an issuer is a client of its own.
                    return tokens.firstUse(client.clientId(), token, issuer).map(first -> {
                        if (!first) {
                            throw new ClientAuthenticationException(AuthenticationFailure.REPLAYED_ASSERTION);
                        }
                        return client;
                    });
                });
    }
}
