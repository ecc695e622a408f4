package io.tokenservice.key;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.error.OAuthError;
import io.tokenservice.error.OAuthException;
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
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The service's signing keys as this replica knows them: the one that signs now, and every key the JWKS
 * publishes. From PEM files when {@code token-service.keys.private-key-file} is set (one key, the operator
 * rotates it); otherwise from the database through {@link ManagedKeys}, re-read every
 * {@code token-service.keys.refresh-interval}, so a new key is published here long before any replica signs
 * with it.
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    private final TokenServiceConfig config;
    private final Pool pool;
    private final Vertx vertx;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile KeySet keys;
    private ManagedKeys managed;
    private long timer = -1;

    @Inject
    SigningKeys(TokenServiceConfig config, Pool pool, Vertx vertx) {
        this.config = config;
        this.pool = pool;
        this.vertx = vertx;
    }

    private SigningKeys(KeySet keys) {
        this(null, null, null);
        this.keys = keys;
    }

    /** One key that never changes, outside the container (benchmarks, unit tests). */
    public static SigningKeys fixed(SigningKey key) {
        return new SigningKeys(KeySet.of(key));
    }

    void start(@Observes StartupEvent event) throws Throwable {
        TokenServiceConfig.Keys settings = config.keys();
        Optional<Path> privateKeyFile = settings.privateKeyFile();
        Optional<Path> publicKeyFile = settings.publicKeyFile();
        if (privateKeyFile.isPresent() != publicKeyFile.isPresent()) {
            throw new IllegalStateException("set both token-service.keys.private-key-file and "
                    + "token-service.keys.public-key-file, or neither");
        }
        if (privateKeyFile.isPresent()) {
            SigningKey key = PemKeyFiles.read(settings.algorithm(), privateKeyFile.get(), publicKeyFile.get());
            LOG.infof("Signing access tokens with %s key %s from %s", key.algorithm(), key.kid(), privateKeyFile.get());
            keys = KeySet.of(key);
            return;
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
        managed = new ManagedKeys(pool, vertx, KeyEncryptionKey.resolve(config.keyEncryptionKey(), LaunchMode.current()),
                settings.algorithm(), settings.publishAhead(), settings.rotationPeriod(),
                longestToken.plus(config.token().clockSkew()));
        keys = VertxContextSupport.subscribeAndAwait(() -> managed.refresh(true));
        SigningKey active = active();
        LOG.infof("Signing access tokens with %s key %s from the database; %d key(s) published",
                active.algorithm(), active.kid(), keys.keys().size());
        timer = vertx.setPeriodic(settings.refreshInterval().toMillis(), id -> refresh());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** The key that signs access tokens now; a 503 before the keys are loaded. */
    public SigningKey active() {
        KeySet current = keys;
        SigningKey key = current == null ? null : current.activeAt(Instant.now());
        if (key == null) {
            throw OAuthException.unavailable("No signing key is loaded yet", 1);
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
        if (managed == null) {
            return Uni.createFrom().failure(new OAuthException(OAuthError.CONFLICT,
                    "Signing keys come from PEM files: rotate them by replacing the files"));
        }
        return managed.rotate()
                .invoke(key -> LOG.infof("Rotation: stored %s key %s, signing from %s", key.key().algorithm(),
                        key.key().kid(), key.activatesAt()))
                .call(this::reload);
    }

    /** Whether keys are stored in the database and rotated by the service (not read from PEM files). */
    public boolean managed() {
        return managed != null;
    }

    private void refresh() {
        if (!refreshing.compareAndSet(false, true)) {
            return;
        }
        managed.refresh(false).eventually(() -> refreshing.set(false)).subscribe().with(
                fresh -> keys = fresh,
                failure -> LOG.warnf("Cannot refresh the signing keys, keeping the %d known: %s",
                        published().size(), failure.toString()));
    }

    private Uni<KeySet> reload() {
        return managed.refresh(false).invoke(fresh -> keys = fresh);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
