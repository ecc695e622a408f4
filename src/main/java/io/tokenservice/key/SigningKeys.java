package io.tokenservice.key;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.database.ChangeChannel;
import io.tokenservice.database.DatabaseCalls;
import io.tokenservice.database.PeriodicRefresh;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The service's signing keys as this replica knows them: the one that signs now, and every key the JWKS
 * publishes. At startup it picks the {@link KeySource} the configuration names: PEM files when
 * {@code token-service.keys.private-key-file} is set, otherwise the database, whose keys it re-reads when
 * PostgreSQL announces a change (channel {@code token_service_signing_key}: a key stored, re-sealed or retired
 * through any replica reaches this one within moments) and every {@code token-service.keys.refresh-interval}, so a
 * new key is published here long before any replica signs with it. A replica that has not read its keys for
 * {@code token-service.keys.max-staleness} stops signing (and readiness says so) until it reads them again: it could
 * be signing with a key retired since. Refuses to start on a configuration that could publish a key too late.
 */
@ApplicationScoped
public class SigningKeys implements ChangeChannel {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    private final TokenServiceConfig config;
    private final Pool pool;
    private final DatabaseCalls database;
    private final Vertx vertx;
    private final Clock clock;
    private final Duration maxStaleness;
    private final Duration readTimeout;
    private volatile KeySet keys;
    private volatile Instant loadedAt;
    private volatile KeySource source;
    private PeriodicRefresh refresh;
    // Re-reads told by announcements run one at a time; one asked for meanwhile runs after it.
    private final AtomicBoolean rereading = new AtomicBoolean();
    // Reads are numbered as they start; one is applied only if no later-started read was applied first.
    private final java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
    private long appliedRead;
    private volatile boolean rereadAgain;

    @Inject
    SigningKeys(TokenServiceConfig config, Pool pool, DatabaseCalls database, Vertx vertx, MeterRegistry registry) {
        this(config, pool, database, vertx, registry, Clock.systemUTC(), config.keys().maxStaleness());
    }

    private SigningKeys(TokenServiceConfig config, Pool pool, DatabaseCalls database, Vertx vertx,
            MeterRegistry registry, Clock clock, Duration maxStaleness) {
        this.config = config;
        this.pool = pool;
        this.database = database;
        this.vertx = vertx;
        this.clock = clock;
        this.maxStaleness = maxStaleness;
        this.readTimeout = config == null ? Duration.ofSeconds(3) : config.database().timeout();
        registerMetrics(registry);
    }

    /** Keys from {@code source}, read at {@code clock}'s now, outside the container (benchmarks, unit tests). */
    SigningKeys(KeySource source, KeySet keys, Clock clock, Duration maxStaleness) {
        this(null, null, null, null, new SimpleMeterRegistry(), clock, maxStaleness);
        this.source = source;
        this.keys = keys;
        this.loadedAt = clock.instant();
    }

    /**
     * The key schedule as gauges: keys published in the JWKS, the age of the signing key, seconds until the next
     * key signs (NaN when none is scheduled; all three NaN for PEM files, which have no schedule and are never
     * re-read), and seconds since this replica last read the keys (a replica whose refresh keeps failing signs with
     * what it has until {@code token-service.keys.max-staleness}, then stops: alert well before that).
     */
    private void registerMetrics(MeterRegistry registry) {
        Gauge.builder("token_service.keys.published", this, keys -> keys.published().size())
                .description("Keys published in the JWKS").register(registry);
        Gauge.builder("token_service.keys.active.age", this, keys -> keys.activeKeyAge(keys.clock.instant()))
                .description("Seconds since the signing key started signing").baseUnit("seconds").register(registry);
        Gauge.builder("token_service.keys.next.activation", this, keys -> keys.untilNextActivation(keys.clock.instant()))
                .description("Seconds until the next published key starts signing").baseUnit("seconds")
                .register(registry);
        Gauge.builder("token_service.keys.loaded.age", this,
                keys -> keys.loadedAt == null || !keys.managed() ? Double.NaN
                        : secondsBetween(keys.loadedAt, keys.clock.instant()))
                .description("Seconds since this replica last read its keys").baseUnit("seconds").register(registry);
    }

    private double activeKeyAge(Instant now) {
        KeySet current = keys;
        if (!managed()) {
            // An operator's PEM key has no schedule: its "age" would be since 1970, and no alert should read it.
            return Double.NaN;
        }
        SigningKey active = current == null ? null : current.activeAt(now);
        return current == null || active == null ? Double.NaN : current.keys().stream()
                .filter(scheduled -> scheduled.key() == active).findFirst()
                .map(scheduled -> secondsBetween(scheduled.activatesAt(), now)).orElse(Double.NaN);
    }

    private double untilNextActivation(Instant now) {
        if (!managed()) {
            return Double.NaN;
        }
        return published().stream().map(ScheduledKey::activatesAt).filter(at -> at.isAfter(now)).min(Instant::compareTo)
                .map(at -> secondsBetween(now, at)).orElse(Double.NaN);
    }

    /** Whether the keys follow the database's schedule (and are re-read); false before start and for PEM files. */
    private boolean managed() {
        KeySource current = source;
        return current != null && current.scheduled();
    }

    private static double secondsBetween(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toMillis() / 1000.0);
    }

    /** One key that never changes, outside the container (benchmarks, unit tests). */
    public static SigningKeys fixed(SigningKey key) {
        return new SigningKeys(new FixedKeySource(key), KeySet.of(key), Clock.systemUTC(), Duration.ofDays(1));
    }

    /** Loads the keys (and on a first start stores the first one): one of the start-up reads of a serving replica. */
    public void start() throws Throwable {
        source = configuredSource();
        if (source.scheduled() && config.keys().maxStaleness().compareTo(config.keys().refreshInterval()) <= 0) {
            throw new IllegalStateException("token-service.keys.max-staleness must be longer than "
                    + "token-service.keys.refresh-interval, or a replica would stop signing between two reads");
        }
        keys = VertxContextSupport.subscribeAndAwait(() -> source.refresh(true));
        loadedAt = clock.instant();
        SigningKey active = active();
        LOG.infof("Signing access tokens with %s key %s from %s; %d key(s) published", active.algorithm(),
                active.kid(), source.scheduled() ? "the database" : "PEM files", keys.keys().size());
        if (source.scheduled()) {
            // A refresh may generate a key (RSA: up to a second on a busy core) beside its database work.
            refresh = PeriodicRefresh.every(vertx, config.keys().refreshInterval(),
                    config.database().timeout().plusSeconds(10), "the signing keys", this::reload);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (refresh != null) {
            refresh.stop();
        }
    }

    /**
     * The key that signs access tokens now.
     *
     * @throws NoSigningKeyException before the keys are loaded, and while they are stale
     */
    public SigningKey active() {
        KeySet current = keys;
        SigningKey key = current == null || stale() ? null : current.activeAt(clock.instant());
        if (key == null) {
            throw new NoSigningKeyException();
        }
        return key;
    }

    /**
     * Whether this replica has not read the database's keys for longer than {@code token-service.keys.max-staleness}:
     * a key retired meanwhile could still sign here. Never for PEM files, which do not change underneath.
     */
    public boolean stale() {
        Instant read = loadedAt;
        return managed() && read != null && Duration.between(read, clock.instant()).compareTo(maxStaleness) > 0;
    }

    /** When this replica last read its keys; null before it did. */
    public Instant loadedAt() {
        return loadedAt;
    }

    @Override
    public String channel() {
        return "token_service_signing_key";
    }

    /** Announcements may have been missed: re-read the keys. */
    @Override
    public void subscribed() {
        reread();
    }

    /** A key was stored, re-sealed or retired, through any replica: re-read the keys. */
    @Override
    public void announced(String payload) {
        reread();
    }

    /**
     * Re-reads the keys now, without writing (the periodic refresh stores what the schedule makes due); one at a
     * time, and one asked for while another runs runs after it, so that no announcement is lost in between.
     */
    void reread() {
        KeySource current = source;
        if (current == null || !current.scheduled()) {
            return;
        }
        rereadAgain = true;
        if (!rereading.compareAndSet(false, true)) {
            return;
        }
        rereadAgain = false;
        read(current::read)
                .ifNoItem().after(readTimeout).fail()
                .eventually(() -> {
                    rereading.set(false);
                    if (rereadAgain) {
                        reread();
                    }
                })
                .subscribe().with(ignored -> { },
                        failure -> LOG.warnf("Cannot re-read the signing keys after a change was announced: %s", failure));
    }

    /** Every key a verifier may meet in a token we issued or are about to issue, for the JWKS. */
    public List<ScheduledKey> published() {
        KeySet current = keys;
        return current == null ? List.of() : current.keys();
    }

    /**
     * The keys our own checks (introspection, the admin API) verify our tokens with: the published ones, none while
     * the keys are stale (one of them may have been retired meanwhile; the replica is not ready then anyway).
     */
    public List<ScheduledKey> verifying() {
        return stale() ? List.of() : published();
    }

    /** Stores a new key that signs from publish-ahead from now, and publishes it here at once. */
    public Uni<ScheduledKey> rotate() {
        return source.rotate()
                .invoke(key -> LOG.infof("Rotation: stored %s key %s, signing from %s", key.key().algorithm(),
                        key.key().kid(), key.activatesAt()))
                .call(this::reload);
    }

    /**
     * Retires {@code kid} at once, here now and on the other replicas when PostgreSQL announces it.
     *
     * @return the key that signs from now on when the retired one was signing, else null
     */
    public Uni<ScheduledKey> retire(String kid) {
        return source.retire(kid)
                .invoke(next -> LOG.warnf("Retired signing key %s%s", kid,
                        next == null ? "" : "; key " + next.key().kid() + " signs from now on"))
                .call(this::reload);
    }

    /** Stored keys this replica cannot open, skipped: for readiness data. */
    public java.util.Set<String> unreadable() {
        return source.unreadable();
    }

    /** Whether keys follow a schedule of the service's (stored in the database), not an operator's PEM files. */
    public boolean scheduled() {
        return source.scheduled();
    }

    Uni<KeySet> reload() {
        return read(() -> source.refresh(false));
    }

    /**
     * Runs a read of the keys and applies what it read, unless a read that started after it was applied first: a
     * read that began before a retirement must not put the retired key back after one that saw it.
     */
    private Uni<KeySet> read(java.util.function.Supplier<Uni<KeySet>> read) {
        long[] number = new long[1];
        return Uni.createFrom().deferred(() -> {
            number[0] = reads.incrementAndGet();
            return read.get();
        }).invoke(fresh -> {
            synchronized (this) {
                if (number[0] > appliedRead) {
                    appliedRead = number[0];
                    keys = fresh;
                    loadedAt = clock.instant();
                }
            }
        });
    }

    private KeySource configuredSource() {
        TokenServiceConfig.Keys settings = config.keys();
        SigningAlgorithm algorithm = SigningAlgorithm.fromConfig(settings.algorithm());
        Optional<Path> privateKeyFile = settings.privateKeyFile();
        Optional<Path> publicKeyFile = settings.publicKeyFile();
        if (privateKeyFile.isPresent() != publicKeyFile.isPresent()) {
            throw new IllegalStateException("set both token-service.keys.private-key-file and "
                    + "token-service.keys.public-key-file, or neither");
        }
        if (privateKeyFile.isPresent()) {
            return new FixedKeySource(PemKeyFiles.read(algorithm, privateKeyFile.get(), publicKeyFile.get()));
        }
        if (settings.refreshInterval().compareTo(settings.publishAhead()) >= 0) {
            throw new IllegalStateException("token-service.keys.refresh-interval must be shorter than "
                    + "token-service.keys.publish-ahead, or a replica could sign with a key others do not publish yet");
        }
        if (settings.rotationPeriod().compareTo(settings.publishAhead()) <= 0) {
            throw new IllegalStateException("token-service.keys.rotation-period must be longer than "
                    + "token-service.keys.publish-ahead: each key is published that long before it signs");
        }
        Duration longestToken = max(config.token().ttl(), config.token().maxTtl());
        return new ManagedKeys(pool, database, vertx,
                KeyEncryptionKeys.resolve(config.keyEncryptionKey(), config.keyEncryptionKeysPrevious(), LaunchMode.current()),
                algorithm, settings.publishAhead(), settings.rotationPeriod(), longestToken.plus(config.token().clockSkew()));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
