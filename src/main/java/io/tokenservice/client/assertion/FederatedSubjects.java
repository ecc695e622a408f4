package io.tokenservice.client.assertion;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Uni;
import io.tokenservice.client.ClientDirectory;
import io.tokenservice.client.ClientSnapshot;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.database.DatabaseCalls;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which client a trusted issuer's subject is. The answer is the {@link ClientDirectory}'s copy of the client, and
 * only if that copy still lists the (issuer, subject) pair: the directory keeps clients consistent, and the pair ->
 * client_id memory here is only a hint that spares a query, never the authority. Only a token whose signature
 * verified is looked up; a pair found to have no client is remembered (bounded) until any client changes, so
 * that workloads of a trusted issuer with no client here cost no query per request.
 */
@ApplicationScoped
public class FederatedSubjects {

    private static final long MAX_HINTS = 100_000;

    private final ClientDirectory directory;
    private final Pool pool;
    private final DatabaseCalls database;
    private final Cache<String, String> hints = Caffeine.newBuilder().maximumSize(MAX_HINTS)
            .expireAfterAccess(Duration.ofHours(1)).build();
    // Pairs found to have no client, with the directory's generation when read: stale once it moved, and at
    // max-staleness whatever happened (the bound on a lost notification, as for cached clients).
    private final Cache<String, Long> unknown;

    FederatedSubjects(ClientDirectory directory, Pool pool, DatabaseCalls database, TokenServiceConfig config) {
        this.directory = directory;
        this.pool = pool;
        this.database = database;
        this.unknown = Caffeine.newBuilder().maximumSize(MAX_HINTS)
                .expireAfterWrite(config.cache().clients().maxStaleness()).build();
    }

    /**
     * The client registered for this (issuer, subject) pair, if any. With {@code cachedOnly}, nothing is looked
     * up: only a client this replica has cached under a known pair is found.
     */
    public Uni<Optional<ClientSnapshot>> clientOf(String issuer, String subject, boolean cachedOnly) {
        String pair = ClientSnapshot.federatedSubject(issuer, subject);
        String hint = hints.getIfPresent(pair);
        if (hint != null) {
            Uni<Map<String, ClientSnapshot>> found = cachedOnly
                    ? Uni.createFrom().item(directory.cachedOnly(List.of(hint)))
                    : directory.find(List.of(hint));
            return found.flatMap(clients -> {
                ClientSnapshot client = clients.get(hint);
                if (client != null && client.federatedSubjects().contains(pair)) {
                    return Uni.createFrom().item(Optional.of(client));
                }
                if (cachedOnly) {
                    // Perhaps only out of the directory's cache: the hint stays for a request that may look up.
                    return Uni.createFrom().item(Optional.<ClientSnapshot>empty());
                }
                hints.invalidate(pair);
                return lookUp(issuer, subject, pair);
            });
        }
        return cachedOnly ? Uni.createFrom().item(Optional.empty()) : lookUp(issuer, subject, pair);
    }

    private Uni<Optional<ClientSnapshot>> lookUp(String issuer, String subject, String pair) {
        long readAt = directory.generation();
        Long knownUnknown = unknown.getIfPresent(pair);
        if (knownUnknown != null && knownUnknown == readAt) {
            return Uni.createFrom().item(Optional.empty());
        }
        return pool.preparedQuery("SELECT client_id FROM token_service.federated_credential WHERE issuer = $1 AND subject = $2")
                .execute(Tuple.of(issuer, subject))
                .plug(database::boundedRead)
                .flatMap(rows -> {
                    Iterator<Row> row = rows.iterator();
                    if (!row.hasNext()) {
                        unknown.put(pair, readAt);
                        return Uni.createFrom().item(Optional.<ClientSnapshot>empty());
                    }
                    String clientId = row.next().getString("client_id");
                    return directory.find(List.of(clientId)).map(clients -> {
                        ClientSnapshot client = clients.get(clientId);
                        if (client == null || !client.federatedSubjects().contains(pair)) {
                            // Changed between the two reads: as if not registered; the client's next try finds it.
                            return Optional.<ClientSnapshot>empty();
                        }
                        hints.put(pair, clientId);
                        return Optional.of(client);
                    });
                });
    }
}
