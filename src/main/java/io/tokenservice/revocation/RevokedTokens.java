package io.tokenservice.revocation;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.database.ChangeChannel;
import io.tokenservice.database.ConcurrencyGate;
import io.tokenservice.database.DatabaseCalls;
import io.tokenservice.database.PeriodicRefresh;
import io.tokenservice.throttle.ThrottledException;
import io.tokenservice.throttle.TokenBuckets;
import io.tokenservice.token.TokenRevocations;
import io.tokenservice.token.VerifiedToken;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The {@code jti}s of access tokens revoked before their {@code exp} (RFC 7009): a revocation through this replica
 * counts here at once, one through another replica as soon as PostgreSQL announces it (channel
 * {@code token_service_revocation}, within moments), and at the latest within
 * {@code token-service.revocation.refresh-interval}, the periodic read that stays as the fallback.
 * Rows are purged from the database once their token has expired by more than {@code token-service.token.clock-skew}.
 *
 * <p>Bounded: a replica holds at most {@code token-service.revocation.max-in-memory} of them; beyond that it
 * consults PostgreSQL for the tokens it does not hold, until a refresh finds that the live revocations fit again.
 * Each client may revoke at most {@code token-service.revocation.max-per-client-per-minute} tokens per minute
 * per replica, so that no client can mint and revoke its own tokens until the replicas run out of memory.
 */
@ApplicationScoped
public class RevokedTokens implements ChangeChannel, TokenRevocations {

    private static final Logger LOG = Logger.getLogger(RevokedTokens.class);

    // Re-read revocations this far back on every refresh: a revocation whose transaction committed after a
    // later one was read still has its clock_timestamp() from before.
    private static final Duration OVERLAP = Duration.ofSeconds(30);

    private final Pool pool;
    private final Vertx vertx;
    private final Duration refreshInterval;
    private final Duration clockSkew;
    private final Duration databaseTimeout;
    private final DatabaseCalls database;
    private final int maxInMemory;
    private final int perClientPerMinute;
    private final TokenBuckets revocationsByClient;
    // Lookups beyond memory take a few of the pool's connections at most.
    private final ConcurrencyGate lookups = new ConcurrencyGate(4, 1024);
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
    // Some live revocation is not held in memory: a token missing from it must be looked up in the database.
    private volatile boolean overflow;
    // Revocations not held for want of room, ever: a reload that raced one of them must not end the overflow.
    private final AtomicLong dropped = new AtomicLong();
    // (Re)subscriptions so far, and how many of them a read begun after them has caught up on: the revocations missed
    // while nobody listened are held once the two agree.
    private final AtomicLong subscriptions = new AtomicLong();
    private final AtomicLong caughtUpTo = new AtomicLong();
    private volatile OffsetDateTime seenUpTo = OffsetDateTime.ofInstant(Instant.EPOCH, ZoneOffset.UTC);
    private PeriodicRefresh periodic;
    private final Counter revocations;

    @Inject
    RevokedTokens(Pool pool, Vertx vertx, TokenServiceConfig config, DatabaseCalls database, MeterRegistry registry) {
        this(pool, vertx, config.revocation().refreshInterval(), config.token().clockSkew(), config.database().timeout(),
                database, config.revocation().maxInMemory(), config.revocation().maxPerClientPerMinute(),
                config.throttle().maxTracked(), registry);
    }

    RevokedTokens(Pool pool, Vertx vertx, Duration refreshInterval, Duration clockSkew, Duration databaseTimeout,
            DatabaseCalls database, int maxInMemory, int perClientPerMinute, long maxClientsTracked,
            MeterRegistry registry) {
        this.pool = pool;
        this.vertx = vertx;
        this.refreshInterval = refreshInterval;
        this.clockSkew = clockSkew;
        this.databaseTimeout = databaseTimeout;
        this.database = database;
        this.maxInMemory = maxInMemory;
        this.perClientPerMinute = perClientPerMinute;
        this.revocationsByClient = new TokenBuckets(maxClientsTracked, Ticker.systemTicker());
        this.revocations = Counter.builder("token_service.revocations")
                .description("Tokens revoked through this replica (RFC 7009)").register(registry);
        Gauge.builder("token_service.revocations.in_memory", this, RevokedTokens::inMemory)
                .description("Revocations this replica holds in memory (up to token-service.revocation.max-in-memory)")
                .register(registry);
        Gauge.builder("token_service.revocations.overflow", this, tokens -> tokens.overflow ? 1 : 0)
                .description("1 while revocations did not fit in memory and lookups go to the database")
                .register(registry);
    }

    /** Reads the revocations, then every refresh interval: one of the start-up reads of a serving replica. */
    public void start() throws Throwable {
        VertxContextSupport.subscribeAndAwait(this::refresh);
        periodic = PeriodicRefresh.every(vertx, refreshInterval, databaseTimeout, "revoked tokens", this::refresh);
    }

    void stop(@Observes ShutdownEvent event) {
        if (periodic != null) {
            periodic.stop();
        }
    }

    /**
     * Whether this token was revoked, as far as this replica knows (others' revocations arrive when announced); asks
     * the database when it is not held here and some revocations did not fit in memory. Fails with
     * {@link io.tokenservice.database.StoreUnavailableException} when that lookup cannot be made.
     */
    public Uni<Boolean> isRevoked(VerifiedToken token) {
        return isRevoked(token.jwtId());
    }

    @Override
    public Optional<Boolean> revokedAtHand(String jwtId) {
        // overflow first: a reload clears it only after holding what it read.
        boolean incomplete = overflow || caughtUpTo.get() < subscriptions.get();
        if (revoked.containsKey(jwtId)) {
            return Optional.of(true);
        }
        return incomplete ? Optional.empty() : Optional.of(false);
    }

    /** Whether the token of this jti was revoked; as {@link #isRevoked(VerifiedToken)}. */
    public Uni<Boolean> isRevoked(String jwtId) {
        // overflow first: a reload clears it only after holding what it read.
        boolean overflowing = overflow;
        if (revoked.containsKey(jwtId)) {
            return Uni.createFrom().item(true);
        }
        if (!overflowing) {
            return Uni.createFrom().item(false);
        }
        return lookups.run(() -> pool.preparedQuery("SELECT 1 FROM token_service.revoked_token WHERE jti = $1")
                .execute(Tuple.of(jwtId))).plug(database::bounded).map(rows -> rows.size() > 0);
    }

    @Override
    public String channel() {
        return "token_service_revocation";
    }

    /** Announcements may have been missed while nobody listened: read what was revoked meanwhile. */
    @Override
    public void subscribed() {
        // Until the revocations missed meanwhile are read, memory cannot tell (revokedAtHand): a read begun since says.
        subscriptions.incrementAndGet();
        refresh().subscribe().with(ignored -> { },
                failure -> LOG.warnf("Cannot read the revocations after (re)subscribing; the periodic read will: %s", failure));
    }

    /** A revocation, announced as {@code <jti> <expires_at in epoch seconds>}: held at once. */
    @Override
    public void announced(String payload) {
        int space = payload.lastIndexOf(' ');
        try {
            hold(payload.substring(0, space), Instant.ofEpochSecond(Long.parseLong(payload.substring(space + 1))));
        } catch (RuntimeException malformed) {
            // Not written by our trigger: the periodic read finds whatever it was about.
            LOG.debugf("Ignoring a revocation announcement that is not <jti> <epoch seconds>");
        }
    }

    /** How many revocations this replica holds in memory. */
    int inMemory() {
        return revoked.size();
    }

    /**
     * Records the revocation of a token of {@code clientId} that expires at {@code expiresAt}; idempotent. Fails
     * with {@link ThrottledException} beyond the client's revocations per minute, and with
     * {@link io.tokenservice.database.StoreUnavailableException} when the database does not answer within
     * {@code token-service.database.timeout}.
     */
    public Uni<Void> revoke(String jti, String clientId, Instant expiresAt) {
        var wait = revocationsByClient.take(clientId, perClientPerMinute);
        if (wait.isPresent()) {
            return Uni.createFrom().failure(new ThrottledException(ThrottledException.Limit.REVOCATIONS,
                    "Too many revocations by this client", wait.get()));
        }
        return pool.preparedQuery("""
                INSERT INTO token_service.revoked_token (jti, client_id, expires_at) VALUES ($1, $2, $3)
                ON CONFLICT (jti) DO NOTHING
                """).execute(Tuple.of(jti, clientId, OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC)))
                .plug(database::bounded)
                .invoke(() -> {
                    hold(jti, expiresAt);
                    revocations.increment();
                })
                .replaceWithVoid();
    }

    /**
     * Reads revocations made since the last refresh, and forgets (and purges the rows of) those whose token is
     * past its {@code exp} by more than {@code token-service.token.clock-skew}: until then our own checks would
     * still accept the token, so its revocation must still count. After an overflow, reloads them all once they
     * fit in memory again.
     */
    Uni<Void> refresh() {
        long subscribedBefore = subscriptions.get();
        Instant forgetBefore = Instant.now().minus(clockSkew);
        revoked.values().removeIf(expiresAt -> expiresAt.isBefore(forgetBefore));
        double skewSeconds = clockSkew.toMillis() / 1000.0;
        return pool.preparedQuery("""
                SELECT jti, expires_at, revoked_at FROM token_service.revoked_token
                WHERE revoked_at > $1 AND expires_at > now() - make_interval(secs => $2)
                """).execute(Tuple.of(seenUpTo.minus(OVERLAP), skewSeconds))
                .invoke(this::remember)
                // What was revoked while nobody listened, up to the subscriptions made before this read, is held now.
                .invoke(() -> caughtUpTo.accumulateAndGet(subscribedBefore, Math::max))
                .flatMap(ignored -> pool.preparedQuery(
                        "DELETE FROM token_service.revoked_token WHERE expires_at < now() - make_interval(secs => $1)")
                        .execute(Tuple.of(skewSeconds)))
                .flatMap(ignored -> overflow ? reloadIfTheyFit(skewSeconds) : Uni.createFrom().voidItem())
                .replaceWithVoid();
    }

    private Uni<Void> reloadIfTheyFit(double skewSeconds) {
        long droppedBefore = dropped.get();
        return pool.preparedQuery("""
                SELECT jti, expires_at FROM token_service.revoked_token
                WHERE expires_at > now() - make_interval(secs => $1) LIMIT $2
                """).execute(Tuple.of(skewSeconds, maxInMemory + 1)).invoke(rows -> {
            if (rows.size() <= maxInMemory) {
                // No clear(): a revocation made here meanwhile stays; expired ones leave on the next refresh.
                for (Row row : rows) {
                    revoked.put(row.getString("jti"), row.getOffsetDateTime("expires_at").toInstant());
                }
                overflow = false;
                // A revocation dropped for want of room since the query began is in neither: the overflow goes on.
                if (dropped.get() != droppedBefore) {
                    overflow = true;
                }
            }
        }).replaceWithVoid();
    }

    private void remember(RowSet<Row> rows) {
        OffsetDateTime latest = seenUpTo;
        for (Row row : rows) {
            hold(row.getString("jti"), row.getOffsetDateTime("expires_at").toInstant());
            OffsetDateTime revokedAt = row.getOffsetDateTime("revoked_at");
            if (revokedAt.isAfter(latest)) {
                latest = revokedAt;
            }
        }
        seenUpTo = latest;
    }

    private void hold(String jti, Instant expiresAt) {
        if (expiresAt.isBefore(Instant.now().minus(clockSkew))) {
            // Past exp and the skew: no check of ours accepts the token any more (and a refresh would forget it).
            return;
        }
        if (revoked.size() < maxInMemory || revoked.containsKey(jti)) {
            revoked.put(jti, expiresAt);
        } else {
            dropped.incrementAndGet();
            overflow = true;
        }
    }
}
