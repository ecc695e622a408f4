package io.tokenservice.database;

import io.quarkus.arc.All;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tokenservice.config.TokenServiceConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Listens on one PostgreSQL connection to every {@link ChangeChannel} (clients, trusted issuers, revocations,
 * signing keys), so that a change made through any replica, or by an operator's SQL, reaches every replica within
 * moments; the periodic reads of each holder stay as the fallback. On every (re)subscription each holder is told
 * that announcements may have been missed. It connects with the reactive datasource's address, credentials and TLS
 * settings, and retries with backoff (1 s doubling to 5 s) from the very first attempt, whether the database was
 * away at startup or went away later. Off with {@code token-service.cache.clients.listen=false} (poolers that cannot
 * LISTEN): then every holder's periodic read is what bounds staleness.
 */
@ApplicationScoped
public class ChangeListener {

    private static final Logger LOG = Logger.getLogger(ChangeListener.class);
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final Vertx vertx;
    private final List<ChangeChannel> channels;
    private final boolean enabled;
    private final PgConnectOptions options;
    private final AtomicInteger subscriptions = new AtomicInteger();
    private volatile boolean stopped;
    private PgSubscriber subscriber;

    @Inject
    ChangeListener(Vertx vertx, @All List<ChangeChannel> channels, TokenServiceConfig config,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
            @ConfigProperty(name = "quarkus.datasource.reactive.postgresql.ssl-mode") Optional<String> sslMode,
            @ConfigProperty(name = "quarkus.datasource.reactive.trust-all", defaultValue = "false") boolean trustAll,
            @ConfigProperty(name = "quarkus.datasource.reactive.trust-certificate-pem.certs") Optional<List<String>> trustedCerts,
            @ConfigProperty(name = "quarkus.datasource.reactive.hostname-verification-algorithm") Optional<String> hostnameVerification) {
        this(vertx, channels, config.cache().clients().listen(),
                connectOptions(url, user, password.orElse(""), sslMode, trustAll, trustedCerts, hostnameVerification));
    }

    public ChangeListener(Vertx vertx, List<ChangeChannel> channels, boolean enabled, PgConnectOptions options) {
        this.vertx = vertx;
        this.channels = List.copyOf(channels);
        this.enabled = enabled;
        this.options = options;
    }
    /** The LISTEN connection's options: the reactive datasource's URL, credentials and TLS settings. */
    public static PgConnectOptions connectOptions(String url, String user, String password, Optional<String> sslMode,
            boolean trustAll, Optional<List<String>> trustedCerts, Optional<String> hostnameVerification) {
        PgConnectOptions options = PgConnectOptions.fromUri(url).setUser(user).setPassword(password);
        sslMode.ifPresent(mode -> options.setSslMode(SslMode.of(mode)));
        options.setTrustAll(trustAll);
        trustedCerts.filter(certs -> !certs.isEmpty()).ifPresent(certs -> {
            PemTrustOptions trust = new PemTrustOptions();
            certs.forEach(trust::addCertPath);
            options.setPemTrustOptions(trust);
        });
        hostnameVerification.filter(algorithm -> !algorithm.equalsIgnoreCase("NONE"))
                .ifPresent(options::setHostnameVerificationAlgorithm);
        return options;
    }

    void start(@Observes StartupEvent event) {
        start();
    }

    public void start() {
        if (!enabled) {
            LOG.info("Change notifications are off: what replicas hold is refreshed by its periodic reads only");
            return;
        }
        subscribe(0);
    }

    /**
     * A subscriber whose first connection failed never connects again (PgSubscriber retries only after an
     * established connection closed, and ignores a second connect): each first attempt gets a fresh one.
     */
    private synchronized void subscribe(int attempt) {
        if (stopped) {
            return;
        }
        PgSubscriber attemptSubscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(ChangeListener::backoff);
        for (ChangeChannel channel : channels) {
            attemptSubscriber.channel(channel.channel())
                    .subscribeHandler(ignored -> {
                        channel.subscribed();
                        subscriptions.incrementAndGet();
                        LOG.debugf("Listening for changes on %s", channel.channel());
                    })
                    .handler(channel::announced);
        }
        subscriber = attemptSubscriber;
        attemptSubscriber.connect().onFailure(failure -> {
            attemptSubscriber.close();
            if (stopped) {
                return;
            }
            long delay = backoff(attempt);
            LOG.warnf("Cannot listen for changes yet (%s); retrying in %d ms", failure.toString(), delay);
            vertx.setTimer(delay, id -> subscribe(attempt + 1));
        });
    }

    private static long backoff(int attempt) {
        return Math.min(MAX_BACKOFF_MILLIS, 1_000L << Math.min(attempt, 5));
    }

    /** How many times a channel was (re)subscribed: each one told its holder that it may have missed changes. */
    public int subscriptions() {
        return subscriptions.get();
    }

    void stop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void stop() {
        stopped = true;
        if (subscriber != null) {
            subscriber.close();
        }
    }
}
