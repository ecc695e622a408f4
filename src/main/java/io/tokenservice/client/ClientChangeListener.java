package io.tokenservice.client;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tokenservice.config.TokenServiceConfig;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Listens on PostgreSQL channel {@code token_service_client}, which a trigger on the client table notifies with
 * the client_id of every updated or deleted row, whichever replica (or operator) made the change, and
 * tells {@link ClientDirectory}. On every (re)connection the directory drops everything it cached, since
 * notifications sent while disconnected are lost. Reconnects every second while the database is away.
 */
@ApplicationScoped
public class ClientChangeListener {

    static final String CHANNEL = "token_service_client";
    private static final Logger LOG = Logger.getLogger(ClientChangeListener.class);

    private final Vertx vertx;
    private final ClientDirectory directory;
    private final boolean enabled;
    private final String url;
    private final String user;
    private final String password;
    private final AtomicInteger subscriptions = new AtomicInteger();
    private PgSubscriber subscriber;

    ClientChangeListener(Vertx vertx, ClientDirectory directory, TokenServiceConfig config,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.directory = directory;
        this.enabled = config.cache().clients().listen();
        this.url = url;
        this.user = user;
        this.password = password.orElse("");
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            LOG.info("Client change notifications are off: cached clients are refreshed by max-staleness only");
            return;
        }
        PgConnectOptions options = PgConnectOptions.fromUri(url).setUser(user).setPassword(password);
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(attempt -> 1_000L);
        subscriber.channel(CHANNEL)
                .subscribeHandler(ignored -> {
                    directory.allChanged();
                    subscriptions.incrementAndGet();
                    LOG.debugf("Listening for client changes on %s", CHANNEL);
                })
                .handler(directory::changed);
        subscriber.connect().onFailure(failure ->
                LOG.warnf("Cannot listen for client changes yet (%s); retrying", failure.toString()));
    }

    /** How many times the channel was (re)subscribed: each one dropped the whole cache first. */
    public int subscriptions() {
        return subscriptions.get();
    }

    void stop(@Observes ShutdownEvent event) {
        if (subscriber != null) {
            subscriber.close();
        }
    }
}
