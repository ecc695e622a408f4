package io.tokenservice.client;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tokenservice.client.assertion.TrustedIssuers;
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
 * Listens on PostgreSQL channel {@code token_service_client}, which a trigger on the client table notifies with
 * the client_id of every updated or deleted row and {@code created <client_id>} for every inserted one, whichever
 * replica (or operator) made the change, and tells {@link ClientDirectory}; and on {@code token_service_trusted_issuer},
 * which announces changes to the trusted issuers, and tells {@link TrustedIssuers}. On every (re)connection the directory drops everything it cached, since
 * notifications sent while disconnected are lost. It connects with the reactive datasource's address,
 * credentials and TLS settings, and retries with backoff (1 s doubling to 5 s) from the very first attempt,
 * whether the database was away at startup or went away later.
 */
@ApplicationScoped
public class ClientChangeListener {

    static final String CHANNEL = "token_service_client";
    static final String TRUSTED_ISSUER_CHANNEL = "token_service_trusted_issuer";
    private static final String CREATED = "created ";
    private static final Logger LOG = Logger.getLogger(ClientChangeListener.class);
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final Vertx vertx;
    private final ClientDirectory directory;
    private final TrustedIssuers trustedIssuers;
    private final boolean enabled;
    private final PgConnectOptions options;
    private final AtomicInteger subscriptions = new AtomicInteger();
    private volatile boolean stopped;
    private PgSubscriber subscriber;

    @Inject
    ClientChangeListener(Vertx vertx, ClientDirectory directory, TrustedIssuers trustedIssuers, TokenServiceConfig config,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
            @ConfigProperty(name = "quarkus.datasource.reactive.postgresql.ssl-mode") Optional<String> sslMode,
            @ConfigProperty(name = "quarkus.datasource.reactive.trust-all", defaultValue = "false") boolean trustAll,
            @ConfigProperty(name = "quarkus.datasource.reactive.trust-certificate-pem.certs") Optional<List<String>> trustedCerts,
            @ConfigProperty(name = "quarkus.datasource.reactive.hostname-verification-algorithm") Optional<String> hostnameVerification) {
        this(vertx, directory, trustedIssuers, config.cache().clients().listen(),
                connectOptions(url, user, password.orElse(""), sslMode, trustAll, trustedCerts, hostnameVerification));
    }

    ClientChangeListener(Vertx vertx, ClientDirectory directory, TrustedIssuers trustedIssuers, boolean enabled,
            PgConnectOptions options) {
        this.vertx = vertx;
        this.directory = directory;
        this.trustedIssuers = trustedIssuers;
        this.enabled = enabled;
        this.options = options;
    }

    /** The LISTEN connection's options: the reactive datasource's URL, credentials and TLS settings. */
    static PgConnectOptions connectOptions(String url, String user, String password, Optional<String> sslMode,
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

    void start() {
        if (!enabled) {
            LOG.info("Client change notifications are off: cached clients are refreshed by max-staleness only");
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
        PgSubscriber attemptSubscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(ClientChangeListener::backoff);
        attemptSubscriber.channel(CHANNEL)
                .subscribeHandler(ignored -> {
                    directory.allChanged();
                    subscriptions.incrementAndGet();
                    LOG.debugf("Listening for client changes on %s", CHANNEL);
                })
                .handler(this::announced);
        attemptSubscriber.channel(TRUSTED_ISSUER_CHANNEL)
                .subscribeHandler(ignored -> trustedIssuers.changed())
                .handler(ignored -> trustedIssuers.changed());
        subscriber = attemptSubscriber;
        attemptSubscriber.connect().onFailure(failure -> {
            attemptSubscriber.close();
            if (stopped) {
                return;
            }
            long delay = backoff(attempt);
            LOG.warnf("Cannot listen for client changes yet (%s); retrying in %d ms", failure.toString(), delay);
            vertx.setTimer(delay, id -> subscribe(attempt + 1));
        });
    }

    /** A notification's payload: "created <client_id>" for an insert, the client_id for an update or delete. */
    private void announced(String payload) {
        if (payload.startsWith(CREATED)) {
            directory.created(payload.substring(CREATED.length()));
        } else {
            directory.changed(payload);
        }
    }

    private static long backoff(int attempt) {
        return Math.min(MAX_BACKOFF_MILLIS, 1_000L << Math.min(attempt, 5));
    }

    /** How many times the channel was (re)subscribed: each one dropped the whole cache first. */
    public int subscriptions() {
        return subscriptions.get();
    }

    void stop(@Observes ShutdownEvent event) {
        stop();
    }

    synchronized void stop() {
        stopped = true;
        if (subscriber != null) {
            subscriber.close();
        }
    }
}
