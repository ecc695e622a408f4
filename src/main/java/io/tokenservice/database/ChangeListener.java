package io.tokenservice.database;

import io.quarkus.arc.All;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tokenservice.config.Launch;
import io.tokenservice.config.TokenServiceConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.SslMode;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Listens on one PostgreSQL connection to every {@link ChangeChannel} (clients, trusted issuers, revocations,
 * signing keys), so that a change made through any replica, or by an operator's SQL, reaches every replica within
 * moments; the periodic reads of each holder stay as the fallback. On every (re)subscription each holder is told
 * that announcements may have been missed. It connects with the reactive datasource's address, credentials and TLS
 * settings, and retries with backoff (1 s doubling to 5 s) from the very first attempt, whether the database was
 * away at startup or went away later. A connection that only listens never writes, so one a NAT or load balancer
 * forgot would look alive for ever: every {@code token-service.database.listen-heartbeat} it runs {@code SELECT 1},
 * and one that does not answer within {@code token-service.database.timeout} is closed and made again (TCP
 * keepalive is on too); a subscriber that has answered no heartbeat for three of them is replaced. Off with
 * {@code token-service.cache.clients.listen=false} (poolers that cannot LISTEN): then every holder's periodic read
 * is what bounds staleness.
 */
@ApplicationScoped
public class ChangeListener {

    private static final Logger LOG = Logger.getLogger(ChangeListener.class);
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final Vertx vertx;
    private final List<ChangeChannel> channels;
    private final boolean enabled;
    private final PgConnectOptions options;
    private final Duration heartbeat;
    private final Duration heartbeatTimeout;
    private final AtomicInteger subscriptions = new AtomicInteger();
    private volatile boolean stopped;
    private volatile PgSubscriber subscriber;
    // The connection every channel is subscribed on; the one whose subscriptions are being counted, and how many.
    private volatile PgConnection ready;
    private PgConnection countingFor;
    private int subscribedHere;
    private long heartbeats = -1;
    // When a heartbeat last came back, or the subscriber was made: one silent for long is replaced.
    private volatile long lastAnswerMillis;

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
                connectOptions(url, user, password.orElse(""), sslMode, trustAll, trustedCerts, hostnameVerification),
                config.database().listenHeartbeat(), config.database().timeout());
    }

    public ChangeListener(Vertx vertx, List<ChangeChannel> channels, boolean enabled, PgConnectOptions options,
            Duration heartbeat, Duration heartbeatTimeout) {
        this.vertx = vertx;
        this.channels = List.copyOf(channels);
        this.enabled = enabled;
        this.options = options.setTcpKeepAlive(true);
        this.heartbeat = heartbeat;
        this.heartbeatTimeout = heartbeatTimeout;
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
        if (!Launch.serving()) {
            return;
        }
        start();
    }

    public void start() {
        if (!enabled) {
            LOG.info("Change notifications are off: what replicas hold is refreshed by its periodic reads only");
            return;
        }
        subscribe(0);
        heartbeats = vertx.setPeriodic(heartbeat.toMillis(), id -> heartbeat());
    }

    /**
     * Asks the listening connection for {@code SELECT 1}: one that does not answer in time is closed (the subscriber
     * then connects again and every holder is told it may have missed changes); a subscriber that has not answered
     * for three heartbeats (stuck connecting to a database that accepts and never answers) is replaced.
     */
    private void heartbeat() {
        PgSubscriber current;
        synchronized (this) {
            current = subscriber;
        }
        if (stopped || current == null) {
            return;
        }
        PgConnection connection = current.closed() ? null : current.actualConnection();
        if (connection == null) {
            if (System.currentTimeMillis() - lastAnswerMillis > 3 * heartbeat.toMillis()) {
                LOG.warnf("Not listening for changes for %d ms; connecting afresh", System.currentTimeMillis() - lastAnswerMillis);
                replace(current);
            }
            return;
        }
        AtomicBoolean settled = new AtomicBoolean();
        long timeout = vertx.setTimer(heartbeatTimeout.toMillis(), id -> {
            if (settled.compareAndSet(false, true)) {
                LOG.warnf("The connection listening for changes did not answer within %s; connecting again", heartbeatTimeout);
                connection.close();
            }
        });
        connection.query("SELECT 1").execute().onComplete(result -> {
            if (settled.compareAndSet(false, true)) {
                vertx.cancelTimer(timeout);
                if (result.succeeded()) {
                    lastAnswerMillis = System.currentTimeMillis();
                } else {
                    connection.close();
                }
            }
        });
    }

    private synchronized void replace(PgSubscriber current) {
        if (subscriber != current || stopped) {
            return;
        }
        current.close();
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
                        subscribedOn(attemptSubscriber.actualConnection());
                        subscriptions.incrementAndGet();
                        LOG.debugf("Listening for changes on %s", channel.channel());
                    })
                    .handler(channel::announced);
        }
        subscriber = attemptSubscriber;
        lastAnswerMillis = System.currentTimeMillis();
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

    /** Counts the channels subscribed on one connection; once all are, announcements on it reach every holder. */
    private synchronized void subscribedOn(PgConnection connection) {
        if (connection != countingFor) {
            countingFor = connection;
            subscribedHere = 0;
        }
        if (++subscribedHere == channels.size()) {
            ready = connection;
        }
    }

    /**
     * Whether announcements reach this replica now: listening is on, every channel is subscribed on the connection
     * that is up (each holder was told so, and may still be catching up on what it missed: that is the holder's to
     * say), and the connection answered a heartbeat within the last two (plus the time one may take). What is held from
     * memory can then be trusted within moments of a change made anywhere; otherwise only within the holders' periodic
     * reads.
     */
    public boolean listening() {
        PgSubscriber current = subscriber;
        PgConnection connection = current == null || current.closed() ? null : current.actualConnection();
        return enabled && !stopped && connection != null && connection == ready
                && System.currentTimeMillis() - lastAnswerMillis <= 2 * heartbeat.toMillis() + heartbeatTimeout.toMillis();
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
        if (heartbeats >= 0) {
            vertx.cancelTimer(heartbeats);
        }
        if (subscriber != null) {
            subscriber.close();
        }
    }
}
