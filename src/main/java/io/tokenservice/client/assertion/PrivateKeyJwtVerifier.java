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
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.jose.KeySets;
import io.tokenservice.jose.SeenJwtIds;
import io.tokenservice.jose.ServiceAudiences;
import io.tokenservice.jose.Signatures;
import io.tokenservice.jose.UnverifiedJwt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Authenticates a private_key_jwt client (RFC 7523 §2.2, OpenID Connect Core §9) by its assertion: iss and sub
 * are its client_id (and so is the request's client_id when given), the client is registered for
 * private_key_jwt, a key of its set ({@code jwks}, or at its {@code jwks_uri}: {@link KeySets}) verifies the
 * signature, the claims keep {@link AssertionRules}, and the jti was never accepted before on any replica
 * ({@link SeenJwtIds}); the authenticator's policy (enabled) is applied before the jti is spent. Fails with
 * {@link ClientAuthenticationException} naming the reason; with the directory's exceptions when the database
 * cannot serve.
 */
@ApplicationScoped
public class PrivateKeyJwtVerifier {

    private static final Logger LOG = Logger.getLogger(PrivateKeyJwtVerifier.class);

    private final ClientDirectory directory;
    private final KeySets keys;
    private final SeenJwtIds seen;
    private final ServiceAudiences audiences;
    private final Duration maxLifetime;
    private final Duration skew;
    private final Clock clock;

    @Inject
    PrivateKeyJwtVerifier(ClientDirectory directory, KeySets keys, SeenJwtIds seen, ServiceAudiences audiences,
            TokenServiceConfig config) {
        this(directory, keys, seen, audiences, config.assertions().maxLifetime(), config.token().clockSkew(),
                Clock.systemUTC());
    }

    PrivateKeyJwtVerifier(ClientDirectory directory, KeySets keys, SeenJwtIds seen, ServiceAudiences audiences,
            Duration maxLifetime, Duration skew, Clock clock) {
        this.directory = directory;
        this.keys = keys;
        this.seen = seen;
        this.audiences = audiences;
        this.maxLifetime = maxLifetime;
        this.skew = skew;
        this.clock = clock;
    }

    /** The client whose assertion this is. */
    public Uni<ClientSnapshot> verify(ClientAssertion presented, UnverifiedJwt assertion) {
        return verify(presented, assertion, false);
    }

    /**
     * The client whose assertion this is. With {@code cachedOnly} nothing is looked up or fetched: only a client this
     * replica has cached, with its keys inline or fetched within cache-for, can be authenticated (the replay store is
     * still written, under the client's single-use budget).
     */
    @WithSpan("client.verify_assertion")
    public Uni<ClientSnapshot> verify(ClientAssertion presented, UnverifiedJwt assertion, boolean cachedOnly) {
        String clientId = assertion.issuer();
        // RFC 7523 §3 items 1 and 2.B: iss and sub are both the client_id; RFC 7521 §4.2: client_id, if present,
        // MUST identify the client of the assertion.
        if (!assertion.subject().equals(clientId) || presented.clientId().filter(id -> !id.equals(clientId)).isPresent()) {
            return Uni.createFrom().failure(failure(AuthenticationFailure.MALFORMED_ASSERTION));
        }
        Uni<Map<String, ClientSnapshot>> found = cachedOnly
                ? Uni.createFrom().item(directory.cachedOnly(List.of(clientId)))
                : directory.find(List.of(clientId));
        return found.flatMap(clients -> {
            ClientSnapshot client = clients.get(clientId);
            if (client == null || client.authMethod() != ClientAuthMethod.PRIVATE_KEY_JWT) {
                // As long as a refusal for a key that does not verify: the time tells nobody which clients exist. Not
                // for a source over its budget, whose every refusal is a 429 and whose verifications are budgeted.
                if (!cachedOnly) {
                    Signatures.spend(assertion);
                }
                return Uni.createFrom().failure(failure(client == null ? AuthenticationFailure.UNKNOWN_CLIENT
                        : AuthenticationFailure.METHOD_MISMATCH));
            }
            Uni<Void> verified = client.jwks() != null ? keys.verifiedInline(assertion, client.jwks())
                    : cachedOnly ? keys.verifiedWithoutFetching(assertion, Optional.of(client.jwksUri()))
                    : keys.verifiedAt(assertion, client.jwksUri(), KeySets.UnknownKid.REFETCH_IN_BACKGROUND);
            return verified.flatMap(ignored -> accepted(client, assertion));
        });
    }

    private Uni<ClientSnapshot> accepted(ClientSnapshot client, UnverifiedJwt assertion) {
        Instant now = clock.instant();
        Optional<String> problem = AssertionRules.problem(assertion, audiences, maxLifetime, now, skew);
        if (problem.isPresent()) {
            LOG.infof("Client assertion of '%s' rejected: %s", client.clientId(), problem.get());
            return Uni.createFrom().failure(failure(AuthenticationFailure.ASSERTION_REJECTED));
        }
        // The policy before the jti is spent: a disabled client's assertion is not used up.
        ClientAuthenticator.allowed(ClientAuthMethod.PRIVATE_KEY_JWT, Optional.empty(), client);
        // Remembered as long as the assertion could still be accepted: to its exp (SeenJwtIds adds the skew).
        return seen.firstUse(client.clientId(), client.clientId(), assertion.jwtId(), assertion.expiresAt())
                .map(first -> {
                    if (!first) {
                        throw failure(AuthenticationFailure.REPLAYED_ASSERTION);
                    }
                    return client;
                });
    }

    private static ClientAuthenticationException failure(AuthenticationFailure reason) {
        return new ClientAuthenticationException(reason);
    }
}
