package io.tokenservice.client;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.error.OAuthException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Authenticates a client from the credentials of a token request: loads it through reactive Panache, verifies
 * the secret on the hashing pool, and checks that it is enabled and uses its registered method. Every failure
 * is the same invalid_client, and an unknown client is checked against dummy hashes so that it takes as long
 * as a wrong secret. During a rotation's grace window the previous secret is accepted too. A database that fails or does not answer within {@code token-service.database.timeout}
 * is a 503 with {@code Retry-After}.
 */
@ApplicationScoped
public class ClientAuthenticator {

    private static final Logger LOG = Logger.getLogger(ClientAuthenticator.class);

    private final Clock clock;
    private final SecretHasher hasher;
    private final Duration databaseTimeout;
    private final int retryAfterSeconds;

    ClientAuthenticator(SecretHasher hasher, TokenServiceConfig config) {
        this.clock = Clock.systemUTC();
        this.hasher = hasher;
        this.databaseTimeout = config.database().timeout();
        this.retryAfterSeconds = config.database().retryAfterSeconds();
    }

    public Uni<RegisteredClient> authenticate(ClientCredentials credentials) {
        List<ClientCredentials.Candidate> candidates = credentials.candidates();
        Set<String> clientIds = candidates.stream()
                .map(ClientCredentials.Candidate::clientId)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        return load(clientIds).flatMap(clients -> {
            // Each candidate against the current secret, then against the previous one during a rotation's grace
            // window, or a dummy: every failure costs the same two verifications per candidate.
            OffsetDateTime now = OffsetDateTime.now(clock);
            List<SecretHasher.Check> checks = new ArrayList<>();
            for (ClientCredentials.Candidate candidate : candidates) {
                RegisteredClient client = clients.get(candidate.clientId());
                checks.add(new SecretHasher.Check(candidate.secret(), client == null ? null : client.secretHash));
            }
            for (ClientCredentials.Candidate candidate : candidates) {
                RegisteredClient client = clients.get(candidate.clientId());
                checks.add(new SecretHasher.Check(candidate.secret(),
                        client == null ? null : client.previousSecretHashValidAt(now)));
            }
            return hasher.firstMatch(checks).map(match -> accept(credentials,
                    match < 0 ? null : clients.get(candidates.get(match % candidates.size()).clientId())));
        });
    }

    private Uni<Map<String, RegisteredClient>> load(Set<String> clientIds) {
        // The session spans the query only: no connection is held while the secret is hashed.
        return Panache.withSession(() -> RegisteredClient.findByIds(clientIds))
                .ifNoItem().after(databaseTimeout).failWith(TimeoutException::new)
                .onFailure().transform(failure -> {
                    LOG.warnf("Client store unavailable: %s", failure.toString());
                    return OAuthException.unavailable("The service is temporarily unavailable", retryAfterSeconds);
                })
                .map(clients -> clients.stream().collect(Collectors.toMap(c -> c.clientId, Function.identity())));
    }

    private static RegisteredClient accept(ClientCredentials credentials, RegisteredClient client) {
        String presentedId = credentials.candidates().get(0).clientId();
        if (client == null) {
            LOG.debugf("invalid_client: unknown client or wrong secret for client_id '%s'", loggable(presentedId));
            throw OAuthException.invalidClient();
        }
        if (!client.enabled) {
            LOG.infof("invalid_client: client '%s' is disabled", client.clientId);
            throw OAuthException.invalidClient();
        }
        if (client.authMethod != credentials.method()) {
            LOG.infof("invalid_client: client '%s' is registered for %s, used %s", client.clientId,
                    client.authMethod.value(), credentials.method().value());
            throw OAuthException.invalidClient();
        }
        return client;
    }

    /** A client id as the log may show it: bounded, printable, no line breaks to forge entries with. */
    private static String loggable(String clientId) {
        String bounded = clientId.length() > 64 ? clientId.substring(0, 64) + "..." : clientId;
        return bounded.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
