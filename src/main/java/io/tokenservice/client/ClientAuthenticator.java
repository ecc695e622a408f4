package io.tokenservice.client;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.client.secret.VerifiedSecrets;
import io.tokenservice.config.TokenServiceConfig;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.tokenservice.error.OAuthException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Authenticates a client from the credentials of a token request: finds it in {@link ClientCache} or loads it
 * through reactive Panache, accepts a secret {@link VerifiedSecrets} has seen pass before, else verifies it on
 * the hashing pool, and checks that the client is enabled and uses its registered method. Every failure is the
 * same invalid_client, and an unknown client is checked against dummy hashes so that it takes as long as a
 * wrong secret. During a rotation's grace window the previous secret is accepted too. A database that fails or
 * does not answer within {@code token-service.database.timeout} is a 503 with {@code Retry-After}.
 */
@ApplicationScoped
public class ClientAuthenticator {

    private static final Logger LOG = Logger.getLogger(ClientAuthenticator.class);

    private final Clock clock = Clock.systemUTC();
    private final SecretHasher hasher;
    private final VerifiedSecrets verifiedSecrets;
    private final ClientCache cache;
    private final Duration databaseTimeout;
    private final int retryAfterSeconds;

    ClientAuthenticator(SecretHasher hasher, VerifiedSecrets verifiedSecrets, ClientCache cache,
            TokenServiceConfig config) {
        this.hasher = hasher;
        this.verifiedSecrets = verifiedSecrets;
        this.cache = cache;
        this.databaseTimeout = config.database().timeout();
        this.retryAfterSeconds = config.database().retryAfterSeconds();
    }

    public Uni<ClientSnapshot> authenticate(ClientCredentials credentials) {
        List<ClientCredentials.Candidate> candidates = credentials.candidates();
        return load(candidates).flatMap(clients -> {
            Instant now = clock.instant();
            // Each candidate against the current secret, then against the previous one during a rotation's grace
            // window, or a dummy: every failure costs the same two verifications per candidate.
            List<ClientCredentials.Candidate> checked = new ArrayList<>();
            List<SecretHasher.Check> checks = new ArrayList<>();
            for (boolean previous : new boolean[] {false, true}) {
                for (ClientCredentials.Candidate candidate : candidates) {
                    ClientSnapshot client = clients.get(candidate.clientId());
                    String hash = client == null ? null
                            : previous ? client.previousSecretHashValidAt(now) : client.secretHash();
                    if (hash != null && verifiedSecrets.contains(client.clientId(), candidate.secret(), hash)) {
                        return Uni.createFrom().item(accept(credentials, client));
                    }
                    checked.add(candidate);
                    checks.add(new SecretHasher.Check(candidate.secret(), hash));
                }
            }
            return hasher.firstMatch(checks).map(match -> {
                if (match < 0) {
                    return accept(credentials, null);
                }
                ClientSnapshot client = clients.get(checked.get(match).clientId());
                verifiedSecrets.remember(client.clientId(), checked.get(match).secret(), checks.get(match).storedHash());
                return accept(credentials, client);
            });
        });
    }

    /** The candidates' clients, from the cache where it has them; unknown ids are simply absent. */
    private Uni<Map<String, ClientSnapshot>> load(List<ClientCredentials.Candidate> candidates) {
        Map<String, ClientSnapshot> found = new HashMap<>();
        Set<String> missing = new LinkedHashSet<>();
        for (ClientCredentials.Candidate candidate : candidates) {
            ClientSnapshot cached = cache.get(candidate.clientId(), this::refreshInBackground);
            if (cached != null) {
                found.put(cached.clientId(), cached);
            } else {
                missing.add(candidate.clientId());
            }
        }
        if (missing.isEmpty()) {
            return Uni.createFrom().item(found);
        }
        long generation = cache.generation();
        // The session spans the query only: no connection is held while the secret is hashed.
        return Panache.withSession(() -> RegisteredClient.findByIds(missing))
                .ifNoItem().after(databaseTimeout).failWith(TimeoutException::new)
                .onFailure().transform(failure -> {
                    LOG.warnf("Client store unavailable: %s", failure.toString());
                    return OAuthException.unavailable("The service is temporarily unavailable", retryAfterSeconds);
                })
                .map(loaded -> {
                    for (RegisteredClient client : loaded) {
                        ClientSnapshot snapshot = ClientSnapshot.of(client);
                        cache.putIfUnchanged(generation, snapshot);
                        found.put(snapshot.clientId(), snapshot);
                    }
                    return found;
                });
    }

    /**
     * Re-reads a cached client without holding up the request that noticed its age, on a context of its own; a
     * deleted client leaves the cache, a failed read leaves the entry to expire at max-staleness.
     */
    private void refreshInBackground(String clientId) {
        Runnable refresh = () -> {
            long generation = cache.generation();
            Panache.withSession(() -> RegisteredClient.findByIds(Set.of(clientId)))
                    .ifNoItem().after(databaseTimeout).failWith(TimeoutException::new)
                    .eventually(() -> cache.refreshDone(clientId))
                    .subscribe().with(loaded -> {
                        if (loaded.isEmpty()) {
                            cache.invalidate(clientId);
                        } else {
                            cache.putIfUnchanged(generation, ClientSnapshot.of(loaded.get(0)));
                        }
                    }, failure -> LOG.warnf("Background re-read of client '%s' failed: %s", clientId, failure));
        };
        Context current = Vertx.currentContext();
        if (current == null) {
            // Not on Vert.x: nothing to run the read on; the entry expires at max-staleness as it would anyway.
            cache.refreshDone(clientId);
        } else {
            Context own = VertxContext.createNewDuplicatedContext(current);
            // Hibernate Reactive Panache runs only on a context flagged as isolated, as a request's is.
            VertxContextSafetyToggle.setContextSafe(own, true);
            own.runOnContext(ignored -> refresh.run());
        }
    }

    private static ClientSnapshot accept(ClientCredentials credentials, ClientSnapshot client) {
        String presentedId = credentials.candidates().get(0).clientId();
        if (client == null) {
            LOG.debugf("invalid_client: unknown client or wrong secret for client_id '%s'", loggable(presentedId));
            throw OAuthException.invalidClient();
        }
        if (!client.enabled()) {
            LOG.infof("invalid_client: client '%s' is disabled", client.clientId());
            throw OAuthException.invalidClient();
        }
        if (client.authMethod() != credentials.method()) {
            LOG.infof("invalid_client: client '%s' is registered for %s, used %s", client.clientId(),
                    client.authMethod().value(), credentials.method().value());
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
