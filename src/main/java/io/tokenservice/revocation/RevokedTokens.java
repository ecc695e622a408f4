package io.tokenservice.revocation;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.tokenservice.config.TokenServiceConfig;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The {@code jti}s of access tokens revoked before their {@code exp} (RFC 7009), held in memory on every replica:
 * a revocation through this replica counts here at once, one through another replica within
 * {@code token-service.keys.refresh-interval}. Rows are purged from the database once their token has expired.
 */
@ApplicationScoped
public class RevokedTokens {

    private static final Logger LOG = Logger.getLogger(RevokedTokens.class);
    // Re-read revocations this far back on every refresh: a revocation whose transaction committed after a
    // later one was read still has its clock_timestamp() from before.
    private static final Duration OVERLAP = Duration.ofSeconds(30);

    private final Pool pool;
    private final Vertx vertx;
    private final Duration refreshInterval;
    private final Duration databaseTimeout;
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile OffsetDateTime seenUpTo = OffsetDateTime.ofInstant(Instant.EPOCH, ZoneOffset.UTC);
    private long timer = -1;

    RevokedTokens(Pool pool, Vertx vertx, TokenServiceConfig config) {
        this.pool = pool;
        this.vertx = vertx;
        this.refreshInterval = config.keys().refreshInterval();
        this.databaseTimeout = config.database().timeout();
    }

    void start(@Observes StartupEvent event) throws Throwable {
        VertxContextSupport.subscribeAndAwait(this::refresh);
        timer = vertx.setPeriodic(refreshInterval.toMillis(), id -> {
            if (refreshing.compareAndSet(false, true)) {
                refresh().eventually(() -> refreshing.set(false)).subscribe().with(ignored -> { },
                        failure -> LOG.warnf("Cannot refresh revoked tokens: %s", failure.toString()));
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Whether the token with this {@code jti} was revoked, as far as this replica knows. */
    public boolean isRevoked(String jti) {
        return revoked.containsKey(jti);
    }

    /**
     * Records the revocation of a token of {@code clientId} that expires at {@code expiresAt}; idempotent. Fails
     * with a {@link TimeoutException} when the database does not answer within {@code token-service.database.timeout}.
     */
    public Uni<Void> revoke(String jti, String clientId, Instant expiresAt) {
        return pool.preparedQuery("""
                INSERT INTO token_service.revoked_token (jti, client_id, expires_at) VALUES ($1, $2, $3)
                ON CONFLICT (jti) DO NOTHING
                """).execute(Tuple.of(jti, clientId, OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC)))
                .ifNoItem().after(databaseTimeout).failWith(TimeoutException::new)
                .invoke(() -> revoked.put(jti, expiresAt))
                .replaceWithVoid();
    }

    /** Reads revocations made since the last refresh, forgets expired ones, and purges their rows. */
    Uni<Void> refresh() {
        Instant now = Instant.now();
        revoked.values().removeIf(expiresAt -> expiresAt.isBefore(now));
        return pool.preparedQuery("""
                SELECT jti, expires_at, revoked_at FROM token_service.revoked_token
                WHERE revoked_at > $1 AND expires_at > now()
                """).execute(Tuple.of(seenUpTo.minus(OVERLAP)))
                .invoke(this::remember)
                .flatMap(ignored -> pool.query("DELETE FROM token_service.revoked_token WHERE expires_at < now()").execute())
                .replaceWithVoid();
    }

    private void remember(RowSet<Row> rows) {
        OffsetDateTime latest = seenUpTo;
        for (Row row : rows) {
            revoked.put(row.getString("jti"), row.getOffsetDateTime("expires_at").toInstant());
            OffsetDateTime revokedAt = row.getOffsetDateTime("revoked_at");
            if (revokedAt.isAfter(latest)) {
                latest = revokedAt;
            }
        }
        seenUpTo = latest;
    }
}
