package io.tokenservice.jose;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.tokenservice.config.Launch;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.database.ConcurrencyGate;
import io.tokenservice.database.DatabaseCalls;
import io.tokenservice.database.PeriodicRefresh;
import io.tokenservice.throttle.ThrottledException;
import io.tokenservice.throttle.TokenBuckets;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The single-use assertions accepted so far, in PostgreSQL, so that every replica refuses a jti any of them accepted
 * (RFC 7523 §3 item 7: "the authorization server MAY ensure that JWTs are not replayed"; OpenID Connect Core §9
 * makes it a MUST for private_key_jwt). A jti is remembered until its assertion can no longer be accepted anywhere:
 * its last acceptable instant plus twice the tolerated clock skew, by the database's clock (a replica whose clock is
 * up to the skew behind the database's accepted it up to the skew past that instant); a jti used again after that is
 * a new assertion. Expired rows are pruned every few minutes.
 *
 * <p>Bounded: each client may write at most {@code token-service.assertions.single-use-per-client-per-minute} rows
 * per replica (beyond, {@link ThrottledException} before any write), writes run at most
 * {@code max-concurrent-writes} at a time, and a replay of a jti this replica accepted is refused from memory, with
 * no write and nothing charged.
 */
@ApplicationScoped
public class SeenJwtIds {

    private static final Duration PRUNE_INTERVAL = Duration.ofMinutes(5);
    private static final long RECENT = 100_000;

    private final Pool pool;
    private final DatabaseCalls database;
    private final Vertx vertx;
    private final Duration databaseTimeout;
    private final Duration skew;
    private final Clock clock;
    private final int perClientPerMinute;
    private final TokenBuckets writesByClient;
    private final ConcurrencyGate writes;
    // "issuer jti" -> until when the assertion is remembered: replays at this replica cost no write.
    private final Cache<String, Instant> recent;
    private PeriodicRefresh pruning;

    @Inject
    SeenJwtIds(Pool pool, DatabaseCalls database, Vertx vertx, TokenServiceConfig config) {
        this(pool, database, vertx, config.database().timeout(), config.token().clockSkew(), Clock.systemUTC(),
                config.assertions().singleUsePerClientPerMinute(), config.assertions().maxConcurrentWrites(),
                config.throttle().maxTracked());
    }

    SeenJwtIds(Pool pool, DatabaseCalls database, Vertx vertx, Duration databaseTimeout, Duration skew, Clock clock,
            int perClientPerMinute, int maxConcurrentWrites, long maxClientsTracked) {
        this.pool = pool;
        this.database = database;
        this.vertx = vertx;
        this.databaseTimeout = databaseTimeout;
        this.skew = skew;
        this.clock = clock;
        this.perClientPerMinute = perClientPerMinute;
        this.writesByClient = new TokenBuckets(maxClientsTracked, Ticker.systemTicker());
        this.writes = new ConcurrencyGate(maxConcurrentWrites, 1024);
        this.recent = Caffeine.newBuilder().maximumSize(RECENT).expireAfter(new Expiry<String, Instant>() {
            @Override
            public long expireAfterCreate(String key, Instant until, long currentTime) {
                return Math.max(0, Duration.between(clock.instant(), until).toNanos());
            }

            @Override
            public long expireAfterUpdate(String key, Instant until, long currentTime, long currentDuration) {
                return expireAfterCreate(key, until, currentTime);
            }

            @Override
            public long expireAfterRead(String key, Instant until, long currentTime, long currentDuration) {
                return currentDuration;
            }
        }).build();
    }

    /**
     * Records the use of {@code jti} of {@code issuer} by {@code clientId}, whose assertion lives until
     * {@code expiresAt} (its exp, or the end of its allowed age, before any skew): true when this is its first use, false when
     * an assertion with this jti was accepted before and is still remembered. Fails with {@link ThrottledException}
     * when the client has presented too many single-use assertions this minute, and with
     * {@link io.tokenservice.database.StoreUnavailableException} when the database does not answer in time.
     */
    public Uni<Boolean> firstUse(String clientId, String issuer, String jti, Instant expiresAt) {
        return firstUse(clientId, perClientPerMinute, issuer, jti, expiresAt);
    }

    /**
     * The same, charged to the budget {@code budgetKey} of {@code perMinute} writes a minute (a DPoP client's proofs
     * have a budget of their own, apart from its assertions).
     */
    public Uni<Boolean> firstUse(String budgetKey, int perMinute, String issuer, String jti, Instant expiresAt) {
        String key = issuer + ' ' + jti;
        if (recent.getIfPresent(key) != null) {
            return Uni.createFrom().item(false);
        }
        var wait = writesByClient.take(budgetKey, perMinute);
        if (wait.isPresent()) {
            return Uni.createFrom().failure(new ThrottledException(ThrottledException.Limit.SINGLE_USE_ASSERTIONS,
                    "Too many single-use assertions for this client", wait.get()));
        }
        // Replicas accept it up to the skew past expiresAt by their clocks, which may be the skew behind the database's.
        Instant until = expiresAt.plus(skew).plus(skew);
        return writes.run(() -> pool.preparedQuery("""
                        INSERT INTO token_service.seen_assertion (issuer, jti, expires_at) VALUES ($1, $2, $3)
                        ON CONFLICT (issuer, jti) DO UPDATE SET expires_at = EXCLUDED.expires_at
                        WHERE seen_assertion.expires_at < now()
                        """).execute(Tuple.of(issuer, jti, OffsetDateTime.ofInstant(until, ZoneOffset.UTC))))
                .plug(database::boundedRead)
                .map(rows -> {
                    boolean first = rows.rowCount() == 1;
                    recent.put(key, until);
                    return first;
                });
    }

    void start(@Observes StartupEvent event) {
        if (!Launch.serving()) {
            return;
        }
        pruning = PeriodicRefresh.every(vertx, PRUNE_INTERVAL, databaseTimeout, "seen JWT ids (pruning)",
                () -> pool.query("DELETE FROM token_service.seen_assertion WHERE expires_at < now()").execute());
    }

    void stop(@Observes ShutdownEvent event) {
        if (pruning != null) {
            pruning.stop();
        }
    }
}
