package io.tokenservice.client.assertion;

import io.tokenservice.federation.IssuerPolicy;
import io.tokenservice.jose.KeySets;
import io.tokenservice.jose.RemoteJwks;
import io.tokenservice.jose.SeenJwtIds;
import io.tokenservice.jose.UnverifiedJwt;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.tokenservice.client.AuthenticationFailure;
import io.tokenservice.client.ClientAssertion;
import io.tokenservice.client.ClientAuthenticationException;
import io.tokenservice.client.ClientDirectory;
import io.tokenservice.client.ClientSnapshot;
import io.tokenservice.config.TokenServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Authenticates a federated_jwt client by a token of a trusted issuer (a Kubernetes service-account token, a
 * SPIFFE JWT-SVID): a key of the issuer (inline, at its jwks_uri, or at the one its discovery document names:
 * {@link KeySets}) verifies the signature, the claims keep
 * {@link AssertionRules#federatedProblem} under the issuer's audiences and maximum token age, the (issuer, sub) pair
 * is registered for a client (found through {@link ClientDirectory}), and, unless the issuer allows reuse, the jti was never
 * accepted before on any replica; whether that client may authenticate (enabled, federated_jwt, the client_id the
 * request names) is the authenticator's policy. Fails with {@link ClientAuthenticationException} naming the reason.
 */
@ApplicationScoped
public class FederatedJwtVerifier {

    private static final Logger LOG = Logger.getLogger(FederatedJwtVerifier.class);

    private final ClientDirectory directory;
    private final RemoteJwks remote;
    private final KeySets keys;
    private final SeenJwtIds seen;
    private final Duration skew;
    private final Clock clock;

    @Inject
    FederatedJwtVerifier(ClientDirectory directory, RemoteJwks remote, KeySets keys, SeenJwtIds seen,
            TokenServiceConfig config) {
        this(directory, remote, keys, seen, config.token().clockSkew(), Clock.systemUTC());
    }

    FederatedJwtVerifier(ClientDirectory directory, RemoteJwks remote, KeySets keys, SeenJwtIds seen,
            Duration skew, Clock clock) {
        this.directory = directory;
        this.remote = remote;
        this.keys = keys;
        this.seen = seen;
        this.skew = skew;
        this.clock = clock;
    }

    /** The client the token names. With {@code cachedOnly}, nothing is looked up or fetched. */
    @WithSpan("client.verify_federated_token")
    public Uni<ClientSnapshot> verify(ClientAssertion presented, UnverifiedJwt token, IssuerPolicy issuer,
            boolean cachedOnly) {
        return signatureVerified(issuer, token, cachedOnly).flatMap(ignored -> {
            Instant now = clock.instant();
            Optional<String> problem = AssertionRules.federatedProblem(token, issuer.audiences(), issuer.maxTokenAge(),
                    !issuer.allowReuse(), now, skew);
            if (problem.isPresent()) {
                LOG.infof("Token of trusted issuer '%s' for '%s' rejected: %s", issuer.name(), token.subject(), problem.get());
                return Uni.createFrom().failure(failure(AuthenticationFailure.ASSERTION_REJECTED));
            }
            return directory.findBySubject(token.issuer(), token.subject(), cachedOnly)
                    .flatMap(found -> accepted(presented, token, issuer, found, cachedOnly));
        });
    }

    private Uni<ClientSnapshot> accepted(ClientAssertion presented, UnverifiedJwt token, IssuerPolicy issuer,
            Optional<ClientSnapshot> found, boolean cachedOnly) {
        if (found.isEmpty()) {
            if (!cachedOnly) {
                // Not cached is not unknown: a throttled request is refused as throttled, and says nothing here.
                LOG.infof("Token of trusted issuer '%s' for '%s': no client is registered for it", issuer.name(),
                        token.subject());
            }
            return Uni.createFrom().failure(failure(AuthenticationFailure.UNKNOWN_SUBJECT));
        }
        ClientSnapshot client = found.get();
        if (issuer.allowReuse()) {
            return Uni.createFrom().item(client);
        }
        // Remembered while the token could be accepted: to its exp or the end of its allowed age (and the skew, which
        // SeenJwtIds adds). Budgeted per client: every workload of an issuer is a client of its own.
        Instant until = min(token.expiresAt(), token.issuedAt().plus(issuer.maxTokenAge()));
        return seen.firstUse(client.clientId(), token.issuer(), token.jwtId(), until).map(first -> {
            if (!first) {
                throw failure(AuthenticationFailure.REPLAYED_ASSERTION);
            }
            return client;
        });
    }

    private Uni<Void> signatureVerified(IssuerPolicy issuer, UnverifiedJwt token, boolean cachedOnly) {
        if (issuer.jwks().isPresent()) {
            return keys.verifiedInline(token, issuer.jwks().get());
        }
        if (cachedOnly) {
            return keys.verifiedWithoutFetching(token, issuer.jwksUri().or(() -> remote.freshJwksUriOf(issuer.issuer())));
        }
        return issuer.jwksUri().map(value -> Uni.createFrom().item(value))
                .orElseGet(() -> remote.jwksUriOf(issuer.issuer()))
                .flatMap(jwksUri -> keys.verifiedAt(token, jwksUri, KeySets.UnknownKid.WAIT_FOR_REFETCH));
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static ClientAuthenticationException failure(AuthenticationFailure reason) {
        return new ClientAuthenticationException(reason);
    }
}
