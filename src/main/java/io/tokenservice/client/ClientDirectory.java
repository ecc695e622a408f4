package io.tokenservice.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.database.BackgroundWork;
import io.tokenservice.database.ChangeChannel;
import io.tokenservice.database.ConcurrencyGate;
import io.tokenservice.database.DatabaseCalls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Finds registered clients, from memory when it can, so a warm request makes no database round trip. It owns the
 * cache's consistency rules:
 * <ul>
 * <li>a cached client is dropped when PostgreSQL announces a change to it on channel {@code token_service_client}
 *     (a trigger on the client table announces the client_id of every updated or deleted row, and
 *     {@code created <client_id>} for every inserted one), and all are when announcements may have been missed
 *     ({@link #allChanged});</li>
 * <li>a read that began before such a change does not put what it read into the cache (a generation counter), nor
 *     one that began before a creation an id as unknown;</li>
 * <li>past half of {@code token-service.cache.clients.max-staleness} an entry is still served, and re-read once in
 *     the background, so a client in use never waits for the database; at max-staleness it expires whatever
 *     happened, the bound on how long a lost notification can keep a change from this replica;</li>
 * <li>a load waits at most {@code token-service.database.timeout}, then fails with
 *     {@link io.tokenservice.database.StoreUnavailableException}; at most
 *     {@code token-service.cache.clients.max-concurrent-loads} run at once, so a flood of random ids takes a few
 *     of the pool's connections, never all;</li>
 * <li>an id found to have no client is remembered as unknown (bounded, for max-staleness at most) until a
 *     notification says a client was created under it;</li>
 * <li>a federated client is found by a trusted issuer's (issuer, subject) pair: which client_id holds a pair is a
 *     hint (bounded) that spares a query, never the authority, since only a client whose current copy still lists
 *     the pair is it; a pair found to have no client is remembered with the directory's generation, stale once any
 *     client changed, and at max-staleness whatever happened. Pair lookups take the same gate as client loads.</li>
 * </ul>
 */
@ApplicationScoped
public class ClientDirectory implements ChangeChannel {

    static final String CHANNEL = "token_service_client";
    private static final String CREATED = "created ";

    /** Reads clients by id from storage; ids with no client are left out. */
    @FunctionalInterface
    interface Loader {
        Uni<List<ClientSnapshot>> load(Set<String> clientIds);
    }

    /** Reads the client_id that holds an (issuer, subject) pair, if any. */
    @FunctionalInterface
    interface SubjectLoader {
        Uni<Optional<String>> clientIdOf(String issuer, String subject);
    }

    /** Starts work that no request waits for; false when it cannot (then the entry simply ages out). */
    @FunctionalInterface
    interface Background {
        boolean start(Runnable work);
    }

    private record Entry(ClientSnapshot client, long loadedAtNanos) {
    }

    private static final Logger LOG = Logger.getLogger(ClientDirectory.class);
    private static final int MAX_QUEUED_LOADS = 1024;

    private final Loader loader;
    private final SubjectLoader subjectLoader;
    // (issuer, subject) pair -> the client_id last found to hold it: a hint, checked against the client's copy.
    private final Cache<String, String> subjectHints;
    // Pairs found to have no client, with generation() when read: stale once it moved, or at max-staleness.
    private final Cache<String, Long> unknownSubjects;
    private final DatabaseCalls database;
    private final Ticker ticker;
    private final Background background;
    private final Cache<String, Entry> clients;
    // Ids found to have no client, for max-staleness at most, until a notification says one was created.
    private final Cache<String, Boolean> unknown;
    private final ConcurrencyGate loads;
    private final long refreshAfterNanos;
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
    // Bumped by every change to a client: a load that began before one must not cache what it read.
    private final AtomicLong generation = new AtomicLong();
    // Bumped by every creation: a load that began before one must not remember an id as unknown. A client it did
    // find is the one created (no copy of a client that did not exist can be older), so it may be cached.
    private final AtomicLong creations = new AtomicLong();

    @Inject
    ClientDirectory(TokenServiceConfig config, DatabaseCalls database, MeterRegistry registry) {
        this(ClientDirectory::loadWithPanache, ClientDirectory::subjectWithPanache, database, Ticker.systemTicker(),
                BackgroundWork::start, config.cache().clients().maxSize(), config.cache().clients().maxStaleness(),
                config.cache().clients().maxConcurrentLoads());
        // cache_gets_total{cache="clients"|"unknown_clients",result="hit"|"miss"}, evictions and sizes.
        CaffeineCacheMetrics.monitor(registry, clients, "clients");
        CaffeineCacheMetrics.monitor(registry, unknown, "unknown_clients");
    }

    ClientDirectory(Loader loader, DatabaseCalls database, Ticker ticker, Background background, long maxSize,
            Duration maxStaleness, int maxConcurrentLoads) {
        this(loader, (issuer, subject) -> Uni.createFrom().item(Optional.empty()), database, ticker, background, maxSize,
                maxStaleness, maxConcurrentLoads);
    }

    ClientDirectory(Loader loader, SubjectLoader subjectLoader, DatabaseCalls database, Ticker ticker,
            Background background, long maxSize, Duration maxStaleness, int maxConcurrentLoads) {
        this.loader = loader;
        this.subjectLoader = subjectLoader;
        this.subjectHints = Caffeine.newBuilder().maximumSize(maxSize).expireAfterAccess(Duration.ofHours(1))
                .ticker(ticker).build();
        this.unknownSubjects = Caffeine.newBuilder().maximumSize(maxSize).expireAfterWrite(maxStaleness).ticker(ticker)
                .build();
        this.database = database;
        this.ticker = ticker;
        this.background = background;
        this.clients = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .expireAfterWrite(maxStaleness)
                .ticker(ticker)
                .recordStats()
                .build();
        this.refreshAfterNanos = maxStaleness.toNanos() / 2;
        this.unknown = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .expireAfterWrite(maxStaleness)
                .ticker(ticker)
                .recordStats()
                .build();
        this.loads = new ConcurrencyGate(maxConcurrentLoads, MAX_QUEUED_LOADS);
    }

    /** The clients with these ids, by id; ids of no client are absent from the map. */
    @WithSpan("client.find")
    public Uni<Map<String, ClientSnapshot>> find(Collection<String> clientIds) {
        Map<String, ClientSnapshot> found = new HashMap<>();
        Set<String> missing = new LinkedHashSet<>();
        for (String clientId : clientIds) {
            if (!ClientIds.isValid(clientId)) {
                // No client can have this id: unknown, without a lookup or a cache entry of its size.
                continue;
            }
            ClientSnapshot cached = cached(clientId);
            if (cached != null) {
                found.put(clientId, cached);
            } else if (unknown.getIfPresent(clientId) == null) {
                missing.add(clientId);
            }
        }
        if (missing.isEmpty()) {
            return Uni.createFrom().item(found);
        }
        long readAt = generation.get();
        long createdBefore = creations.get();
        return loads.run(() -> loader.load(missing)).plug(database::boundedRead).map(loaded -> {
            for (ClientSnapshot client : loaded) {
                putIfUnchanged(readAt, client);
                found.put(client.clientId(), client);
            }
            for (String clientId : missing) {
                if (!found.containsKey(clientId) && generation.get() == readAt && creations.get() == createdBefore) {
                    unknown.put(clientId, Boolean.TRUE);
                }
            }
            return found;
        });
    }

    /**
     * A number that changes whenever a client (or a client's federated credentials) may have changed: what was
     * read about clients before it changed may be stale.
     */
    private long generation() {
        return generation.get() + creations.get();
    }

    /**
     * The client registered for a trusted issuer's (issuer, subject) pair, if any. With {@code cachedOnly}, nothing
     * is looked up: only a client this replica has cached under a known pair is found.
     */
    @WithSpan("client.find_by_subject")
    public Uni<Optional<ClientSnapshot>> findBySubject(String issuer, String subject, boolean cachedOnly) {
        String pair = ClientSnapshot.federatedSubject(issuer, subject);
        String hint = subjectHints.getIfPresent(pair);
        if (hint != null) {
            Uni<Map<String, ClientSnapshot>> found = cachedOnly ? Uni.createFrom().item(cachedOnly(List.of(hint)))
                    : find(List.of(hint));
            return found.flatMap(clients -> {
                ClientSnapshot client = clients.get(hint);
                if (client != null && client.federatedSubjects().contains(pair)) {
                    return Uni.createFrom().item(Optional.of(client));
                }
                if (cachedOnly) {
                    // Perhaps only out of the cache: the hint stays for a request that may look up.
                    return Uni.createFrom().item(Optional.<ClientSnapshot>empty());
                }
                subjectHints.invalidate(pair);
                return lookUpSubject(issuer, subject, pair);
            });
        }
        return cachedOnly ? Uni.createFrom().item(Optional.empty()) : lookUpSubject(issuer, subject, pair);
    }

    private Uni<Optional<ClientSnapshot>> lookUpSubject(String issuer, String subject, String pair) {
        long readAt = generation();
        Long knownUnknown = unknownSubjects.getIfPresent(pair);
        if (knownUnknown != null && knownUnknown == readAt) {
            return Uni.createFrom().item(Optional.empty());
        }
        return loads.run(() -> subjectLoader.clientIdOf(issuer, subject)).plug(database::boundedRead)
                .flatMap(clientId -> {
                    if (clientId.isEmpty()) {
                        unknownSubjects.put(pair, readAt);
                        return Uni.createFrom().item(Optional.<ClientSnapshot>empty());
                    }
                    return find(List.of(clientId.get())).map(clients -> {
                        ClientSnapshot client = clients.get(clientId.get());
                        if (client == null || !client.federatedSubjects().contains(pair)) {
                            // Changed between the two reads: as if not registered; the client's next try finds it.
                            return Optional.<ClientSnapshot>empty();
                        }
                        subjectHints.put(pair, clientId.get());
                        return Optional.of(client);
                    });
                });
    }

    /** The clients with these ids that are cached now, without any lookup (for requests that must not cause one). */
    public Map<String, ClientSnapshot> cachedOnly(Collection<String> clientIds) {
        Map<String, ClientSnapshot> found = new HashMap<>();
        for (String clientId : clientIds) {
            Entry entry = clients.getIfPresent(clientId);
            if (entry != null) {
                found.put(clientId, entry.client());
            }
        }
        return found;
    }

    /**
     * A client was created under this id: it is no longer unknown. What is cached stays (no copy of a client that
     * did not exist can be), and a load that began before does not remember the id as unknown.
     */
    public void created(String clientId) {
        creations.incrementAndGet();
        unknown.invalidate(clientId);
    }

    /** PostgreSQL announced a change to this client (updated or deleted), or this replica made one. */
    public void changed(String clientId) {
        generation.incrementAndGet();
        clients.invalidate(clientId);
        unknown.invalidate(clientId);
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    /** A notification's payload: "created <client_id>" for an insert, the client_id for an update or delete. */
    @Override
    public void announced(String payload) {
        if (payload.startsWith(CREATED)) {
            created(payload.substring(CREATED.length()));
        } else {
            changed(payload);
        }
    }

    @Override
    public void subscribed() {
        allChanged();
    }

    /** Announcements may have been missed (a (re)connection of the listener): nothing cached can be trusted. */
    public void allChanged() {
        generation.incrementAndGet();
        clients.invalidateAll();
        unknown.invalidateAll();
    }

    private ClientSnapshot cached(String clientId) {
        Entry entry = clients.getIfPresent(clientId);
        if (entry == null) {
            return null;
        }
        if (ticker.read() - entry.loadedAtNanos() > refreshAfterNanos && refreshing.add(clientId)) {
            if (!background.start(() -> reRead(clientId))) {
                refreshing.remove(clientId);
            }
        }
        return entry.client();
    }

    /** Re-reads an aging client; a deleted client leaves the cache, a failed read leaves the entry to expire. */
    private void reRead(String clientId) {
        long readAt = generation.get();
        loads.run(() -> loader.load(Set.of(clientId))).plug(database::boundedRead)
                .eventually(() -> refreshing.remove(clientId))
                .subscribe().with(loaded -> {
                    if (loaded.isEmpty()) {
                        changed(clientId);
                    } else {
                        putIfUnchanged(readAt, loaded.get(0));
                    }
                }, failure -> LOG.warnf("Background re-read of client '%s' failed: %s", clientId, failure));
    }

    private void putIfUnchanged(long readAt, ClientSnapshot client) {
        if (generation.get() == readAt) {
            clients.put(client.clientId(), new Entry(client, ticker.read()));
        }
    }

    private static Uni<Optional<String>> subjectWithPanache(String issuer, String subject) {
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "SELECT client_id FROM token_service.federated_credential WHERE issuer = :issuer AND subject = :subject",
                        String.class).setParameter("issuer", issuer).setParameter("subject", subject).getResultList()))
                .map(ids -> ids.stream().findFirst());
    }

    /** The session spans the query only: no connection is held while a secret is hashed. */
    private static Uni<List<ClientSnapshot>> loadWithPanache(Set<String> clientIds) {
        return Panache.withSession(() -> RegisteredClient.findByIds(clientIds))
                .map(loaded -> loaded.stream().map(ClientSnapshot::of).toList());
    }
}
