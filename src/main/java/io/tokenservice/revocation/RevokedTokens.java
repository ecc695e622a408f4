package io.tokenservice.revocation;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.database.DatabaseCalls;
import io.tokenservice.database.PeriodicRefresh;
import io.tokenservice.token.VerifiedToken;
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

/**
 * The {@code jti}s of access tokens revoked before their {@code exp} (RFC 7009), held in memory on every replica:
 * a revocation through this replica counts here at once, one through another replica within
 * {@code token-service.revocation.refresh-interval}. Rows are purged from the database once their token has expired
 * by more than {@code token-service.token.clock-skew}.
 */
@ApplicationScoped
public class RevokedTokens {

    // Re-read revocations this far back on every refresh: a revocation whose transaction committed after a
    // later one was read still has its clock_timestamp() from before.
    private static final Duration OVERLAP = Duration.ofSeconds(30);

    private final Pool pool;
    private final Vertx vertx;
    private final Duration refreshInterval;
    private final Duration clockSkew;
    private final Duration databaseTimeout;
    private final DatabaseCalls database;
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
    private volatile OffsetDateTime seenUpTo = OffsetDateTime.ofInstant(Instant.EPOCH, ZoneOffset.UTC);
    private PeriodicRefresh periodic;

    RevokedTokens(Pool pool, Vertx vertx, TokenServiceConfig config, DatabaseCalls database) {
        this.pool = pool;
        this.vertx = vertx;
        this.refreshInterval = config.revocation().refreshInterval();
        this.clockSkew = config.token().clockSkew();
        this.databaseTimeout = config.database().timeout();
        this.database = database;
    }

    void start(@Observes StartupEvent event) throws Throwable {
        VertxContextSupport.subscribeAndAwait(this::refresh);
        periodic = PeriodicRefresh.every(vertx, refreshInterval, databaseTimeout, "revoked tokens", this::refresh);
    }

    void stop(@Observes ShutdownEvent event) {
        if (periodic != null) {
            periodic.stop();
        }
    }

    /** Whether this token was revoked, as far as this replica knows (others' revocations arrive on refresh). */
    public boolean isRevoked(VerifiedToken token) {
        return revoked.containsKey(token.jwtId());
    }

    /**
     * Records the revocation of a token of {@code clientId} that expires at {@code expiresAt}; idempotent. Fails
     * with {@link io.tokenservice.database.StoreUnavailableException} when the database does not answer within
     * {@code token-service.database.timeout}.
     */
    public Uni<Void> revoke(String jti, String clientId, Instant expiresAt) {
        return pool.preparedQuery("""
                INSERT INTO token_service.revoked_token (jti, client_id, expires_at) VALUES ($1, $2, $3)
                ON CONFLICT (jti) DO NOTHING
                """).execute(Tuple.of(jti, clientId, OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC)))
                .plug(database::bounded)
                .invoke(() -> revoked.put(jti, expiresAt))
                .replaceWithVoid();
    }

    /**
     * Reads revocations made since the last refresh, and forgets (and purges the rows of) those whose token is
     * past its {@code exp} by more than {@code token-service.token.clock-skew}: until then our own checks would
     * still accept the token, so its revocation must still count.
     */
    Uni<Void> refresh() {
        Instant forgetBefore = Instant.now().minus(clockSkew);
        revoked.values().removeIf(expiresAt -> expiresAt.isBefore(forgetBefore));
        double skewSeconds = clockSkew.toMillis() / 1000.0;
        return pool.preparedQuery("""
                SELECT jti, expires_at, revoked_at FROM token_service.revoked_token
                WHERE revoked_at > $1 AND expires_at > now() - make_interval(secs => $2)
                """).execute(Tuple.of(seenUpTo.minus(OVERLAP), skewSeconds))
                .invoke(this::remember)
                .flatMap(ignored -> pool.preparedQuery(
                        "DELETE FROM token_service.revoked_token WHERE expires_at < now() - make_interval(secs => $1)")
                        .execute(Tuple.of(skewSeconds)))
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
