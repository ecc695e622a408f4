package io.tokenservice.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tokenservice.config.TokenServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Registered clients in memory, so a warm token request makes no database round trip. Entries are dropped when
 * PostgreSQL announces a change ({@link ClientChangeListener}) and in any case after
 * {@code token-service.cache.clients.max-staleness}, the bound on how long a lost notification can keep a
 * change from this replica. Unknown client ids are never cached.
 */
@ApplicationScoped
public class ClientCache {

    private final Cache<String, ClientSnapshot> clients;
    // Bumped by every invalidation: a load that began before one must not repopulate the cache with what it read.
    private final AtomicLong invalidations = new AtomicLong();

    ClientCache(TokenServiceConfig config) {
        TokenServiceConfig.ClientCacheConfig cache = config.cache().clients();
        this.clients = Caffeine.newBuilder()
                .maximumSize(cache.maxSize())
                .expireAfterWrite(cache.maxStaleness())
                .build();
    }

    public ClientSnapshot get(String clientId) {
        return clients.getIfPresent(clientId);
    }

    /** A token for {@link #putIfUnchanged}: take it before reading from the database. */
    public long generation() {
        return invalidations.get();
    }

    /** Caches what a read that began at {@code generation} found, unless a change was announced since. */
    public void putIfUnchanged(long generation, ClientSnapshot client) {
        if (invalidations.get() == generation) {
            clients.put(client.clientId(), client);
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
