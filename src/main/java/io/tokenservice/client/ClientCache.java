package io.tokenservice.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tokenservice.config.TokenServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Registered clients in memory, so a warm token request makes no database round trip. Entries are dropped when
 * PostgreSQL announces a change ({@link ClientChangeListener}) and in any case after
 * {@code token-service.cache.clients.max-staleness}, the bound on how long a lost notification can keep a
 * change from this replica. Past half that age an entry is still served, and one request is told to re-read it
 * in the background (see {@link #get}), so that a client in use never waits for the database. Unknown
 * client ids are never cached.
 */
@ApplicationScoped
public class ClientCache {

    private record Entry(ClientSnapshot client, long loadedAtNanos) {
    }

    private final Cache<String, Entry> clients;
    private final long refreshAfterNanos;
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
    // Bumped by every invalidation: a load that began before one must not repopulate the cache with what it read.
    private final AtomicLong invalidations = new AtomicLong();

    ClientCache(TokenServiceConfig config) {
        TokenServiceConfig.ClientCacheConfig cache = config.cache().clients();
        this.clients = Caffeine.newBuilder()
                .maximumSize(cache.maxSize())
                .expireAfterWrite(cache.maxStaleness())
                .build();
        this.refreshAfterNanos = cache.maxStaleness().toNanos() / 2;
    }

    /**
     * The cached client, or null. When it is past half its max-staleness, {@code reRead} is called with its id,
     * once until {@link #refreshDone}: the caller re-reads it in the background while this copy is served.
     */
    public ClientSnapshot get(String clientId, Consumer<String> reRead) {
        Entry entry = clients.getIfPresent(clientId);
        if (entry == null) {
            return null;
        }
        if (System.nanoTime() - entry.loadedAtNanos() > refreshAfterNanos && refreshing.add(clientId)) {
            reRead.accept(clientId);
        }
        return entry.client();
    }

    public void refreshDone(String clientId) {
        refreshing.remove(clientId);
    }

    /** A token for {@link #putIfUnchanged}: take it before reading from the database. */
    public long generation() {
        return invalidations.get();
    }

    /** Caches what a read that began at {@code generation} found, unless a change was announced since. */
    public void putIfUnchanged(long generation, ClientSnapshot client) {
        if (invalidations.get() == generation) {
            clients.put(client.clientId(), new Entry(client, System.nanoTime()));
        }
    }

    public void invalidate(String clientId) {
        invalidations.incrementAndGet();
        clients.invalidate(clientId);
    }

    public void invalidateAll() {
        invalidations.incrementAndGet();
        clients.invalidateAll();
    }
}
