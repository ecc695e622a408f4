package io.tokenservice.key;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.database.DatabaseCalls;
import io.tokenservice.database.PeriodicRefresh;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The service's signing keys as this replica knows them: the one that signs now, and every key the JWKS
 * publishes. At startup it picks the {@link KeySource} the configuration names: PEM files when
 * {@code token-service.keys.private-key-file} is set, otherwise the database, whose keys it re-reads every
 * {@code token-service.keys.refresh-interval}, so a new key is published here long before any replica signs
 * with it. Refuses to start on a configuration that could publish a key too late.
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    private final TokenServiceConfig config;
    private final Pool pool;
    private final DatabaseCalls database;
    private final Vertx vertx;
    private volatile KeySet keys;
    private volatile Instant loadedAt;
    private volatile KeySource source;
    private PeriodicRefresh refresh;

    @Inject
    SigningKeys(TokenServiceConfig config, Pool pool, DatabaseCalls database, Vertx vertx, MeterRegistry registry) {
        this.config = config;
        this.pool = pool;
        this.database = database;
        this.vertx = vertx;
        registerMetrics(registry);
    }

    private SigningKeys(KeySource source, KeySet keys) {
        this(null, null, null, null, new SimpleMeterRegistry());
        this.source = source;
        this.keys = keys;
        this.loadedAt = Instant.now();
    }

    /**
     * The key schedule as gauges: keys published in the JWKS, the age of the signing key, seconds until the next
     * key signs (NaN when none is scheduled; all three NaN for PEM files, which have no schedule and are never
     * re-read), and seconds since this replica last read the keys (a replica whose
     * refresh keeps failing goes on signing with what it has: alert when this passes a few refresh intervals).
     */
    private void registerMetrics(MeterRegistry registry) {
        Gauge.builder("token_service.keys.published", this, keys -> keys.published().size())
                .description("Keys published in the JWKS").register(registry);
        Gauge.builder("token_service.keys.active.age", this, keys -> keys.activeKeyAge(Instant.now()))
                .description("Seconds since the signing key started signing").baseUnit("seconds").register(registry);
        Gauge.builder("token_service.keys.next.activation", this, keys -> keys.untilNextActivation(Instant.now()))
                .description("Seconds until the next published key starts signing").baseUnit("seconds")
                .register(registry);
        Gauge.builder("token_service.keys.loaded.age", this,
                keys -> keys.loadedAt == null || !keys.managed() ? Double.NaN
                        : secondsBetween(keys.loadedAt, Instant.now()))
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
        return new SigningKeys(new FixedKeySource(key), KeySet.of(key));
    }

    void start(@Observes StartupEvent event) throws Throwable {
        source = configuredSource();
        keys = VertxContextSupport.subscribeAndAwait(() -> source.refresh(true));
        loadedAt = Instant.now();
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
     * @throws NoSigningKeyException before the keys are loaded
     */
    public SigningKey active() {
        KeySet current = keys;
        SigningKey key = current == null ? null : current.activeAt(Instant.now());
        if (key == null) {
            throw new NoSigningKeyException();
        }
        return key;
    }

    /** Every key a verifier may meet in a token we issued or are about to issue, for the JWKS. */
    public List<ScheduledKey> published() {
        KeySet current = keys;
        return current == null ? List.of() : current.keys();
    }

    /** Stores a new key that signs from publish-ahead from now, and publishes it here at once. */
    public Uni<ScheduledKey> rotate() {
        return source.rotate()
                .invoke(key -> LOG.infof("Rotation: stored %s key %s, signing from %s", key.key().algorithm(),
                        key.key().kid(), key.activatesAt()))
                .call(this::reload);
    }

    /**
     * Retires {@code kid} at once, here now and on the other replicas within their refresh interval.
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

    private Uni<KeySet> reload() {
        return source.refresh(false).invoke(fresh -> {
            keys = fresh;
            loadedAt = Instant.now();
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
