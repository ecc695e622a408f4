package io.tokenservice.client.assertion;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.database.DatabaseCalls;
import io.tokenservice.database.PeriodicRefresh;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The client assertions accepted so far, in PostgreSQL, so that every replica refuses a jti any of them accepted
 * (RFC 7523 §3 item 7: "the authorization server MAY ensure that JWTs are not replayed"; OpenID Connect Core §9
 * makes it a MUST for private_key_jwt). A jti is remembered until its assertion expires; a jti used again after
 * that is a new assertion. Expired rows are pruned every few minutes.
 */
@ApplicationScoped
public class SeenAssertions {

    private static final Duration PRUNE_INTERVAL = Duration.ofMinutes(5);

    private final Pool pool;
    private final DatabaseCalls database;
    private final Vertx vertx;
    private final Duration databaseTimeout;
    private PeriodicRefresh pruning;

    SeenAssertions(Pool pool, DatabaseCalls database, Vertx vertx, TokenServiceConfig config) {
        this.pool = pool;
        this.database = database;
        this.vertx = vertx;
        this.databaseTimeout = config.database().timeout();
    }

    /**
     * Records {@code jti} of {@code issuer}, remembered until {@code expiresAt}: true when this is its first use,
     * false when an assertion with this jti was accepted before and has not expired. Fails with
     * {@link io.tokenservice.database.StoreUnavailableException} when the database does not answer in time.
     */
    public Uni<Boolean> firstUse(String issuer, String jti, Instant expiresAt) {
        return pool.preparedQuery("""
                INSERT INTO token_service.seen_assertion (issuer, jti, expires_at) VALUES ($1, $2, $3)
                ON CONFLICT (issuer, jti) DO UPDATE SET expires_at = EXCLUDED.expires_at
                WHERE seen_assertion.expires_at < now()
                """).execute(Tuple.of(issuer, jti, OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC)))
                .plug(database::boundedRead)
                .map(rows -> rows.rowCount() == 1);
    }

    void start(@Observes StartupEvent event) {
        pruning = PeriodicRefresh.every(vertx, PRUNE_INTERVAL, databaseTimeout, "seen client assertions (pruning)",
                () -> pool.query("DELETE FROM token_service.seen_assertion WHERE expires_at < now()").execute());
    }

    void stop(@Observes ShutdownEvent event) {
        if (pruning != null) {
            pruning.stop();
        }
    }
}
