package io.tokenservice.federation;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.tokenservice.config.Launch;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.database.ChangeChannel;
import io.tokenservice.database.DatabaseCalls;
import io.tokenservice.database.PeriodicRefresh;
import io.tokenservice.jose.JwkSetRules;
import io.tokenservice.jose.ServiceAudiences;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The issuers whose tokens authenticate federated clients, as every replica holds them in memory: those listed in
 * configuration ({@code token-service.federation.trusted-issuers.*}) and those stored through the admin API. It
 * re-reads the stored ones when PostgreSQL announces a change (channel {@code token_service_trusted_issuer}),
 * every {@code token-service.federation.refresh-interval} whatever happens, and at the first request that needs them;
 * a failed read keeps what was read before. An issuer in configuration cannot be stored as well.
 */
@ApplicationScoped
public class TrustedIssuers implements ChangeChannel {

    private static final Logger LOG = Logger.getLogger(TrustedIssuers.class);

    private final Pool pool;
    private final DatabaseCalls database;
    private final Vertx vertx;
    private final Duration refreshInterval;
    private final Duration databaseTimeout;
    private final Map<String, IssuerPolicy> configured;
    private final Set<String> defaultAudiences;
    private final ServiceAudiences us;
    // Reads are numbered as they start; what one read is applied only if no later-started read was applied first.
    private final AtomicLong reads = new AtomicLong();
    private long applied;
    private final AtomicReference<Uni<Void>> firstRead = new AtomicReference<>();
    private volatile Map<String, IssuerPolicy> byIssuer;
    private PeriodicRefresh periodic;

    @Inject
    TrustedIssuers(Pool pool, DatabaseCalls database, Vertx vertx, TokenServiceConfig config, ServiceAudiences audiences) {
        this.pool = pool;
        this.database = database;
        this.vertx = vertx;
        this.refreshInterval = config.federation().refreshInterval();
        this.databaseTimeout = config.database().timeout();
        this.defaultAudiences = audiences.defaults();
        this.us = audiences;
        Map<String, IssuerPolicy> fromConfig = new HashMap<>();
        config.federation().trustedIssuers().forEach((name, issuer) -> checkConfigured(name, issuer, audiences));
        Map<String, String> byJwksUri = new HashMap<>();
        config.federation().trustedIssuers().forEach((name, issuer) -> issuer.jwksUri().ifPresent(uri -> {
            String other = byJwksUri.putIfAbsent(uri, name);
            if (other != null) {
                throw new IllegalStateException("token-service.federation.trusted-issuers." + other + ".jwks-uri and ."
                        + name + ".jwks-uri are the same: a key set URL belongs to one issuer");
            }
        }));
        config.federation().trustedIssuers().forEach((name, issuer) -> fromConfig.put(issuer.issuer(),
                new IssuerPolicy(name, issuer.issuer(), issuer.jwks(), issuer.jwksUri(),
                        issuer.audiences().filter(list -> !list.isEmpty()).map(Set::copyOf).orElse(defaultAudiences),
                        issuer.maxTokenAge(), issuer.allowReuse(), IssuerPolicy.CONFIG)));
        this.configured = Map.copyOf(fromConfig);
    }

    /**
     * A configured issuer that could never verify a token, or that is this service itself (whose own access tokens
     * would then authenticate clients), stops the start, naming the property.
     */
    private static void checkConfigured(String name, TokenServiceConfig.Federation.TrustedIssuer issuer, ServiceAudiences us) {
        String prefix = "token-service.federation.trusted-issuers." + name + ".";
        if (us.isOurIssuer(issuer.issuer())) {
            throw new IllegalStateException(prefix + "issuer is this service's own issuer (token-service.issuer)");
        }
        if (issuer.jwks().isPresent() && issuer.jwksUri().isPresent()) {
            throw new IllegalStateException(prefix + "jwks and " + prefix + "jwks-uri: give one, not both");
        }
        issuer.jwks().ifPresent(jwks -> {
            try {
                if (JwkSetRules.usableKeys(jwks).getJsonWebKeys().isEmpty()) {
                    throw new IllegalStateException(prefix + "jwks holds no key RSA of 2048 to 4096 bits with exponent "
                            + "65537, EC P-256 or Ed25519 for use sig");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(prefix + "jwks: " + e.getMessage());
            }
        });
    }

    /** The trusted issuer whose tokens carry {@code iss}, if any. */
    public Uni<Optional<IssuerPolicy>> find(String issuer) {
        Map<String, IssuerPolicy> current = byIssuer;
        if (current != null) {
            return Uni.createFrom().item(Optional.ofNullable(current.get(issuer)));
        }
        // Not read yet (the replica just started): the requests arriving now share one read. A failure is the
        // database's, a 503.
        return firstRead().replaceWith(() -> Optional.ofNullable(current().get(issuer)));
    }

    /** The trusted issuer whose tokens carry {@code iss}, as far as this replica has read (no database). */
    public Optional<IssuerPolicy> loaded(String issuer) {
        return Optional.ofNullable(current().get(issuer));
    }

    /** Every trusted issuer, configured and stored. */
    public Collection<IssuerPolicy> all() {
        return List.copyOf(current().values());
    }

    /** The configured issuer of this name or iss, if any: those the admin API may not store or change. */
    public Optional<IssuerPolicy> configured(String nameOrIssuer) {
        return configured.values().stream()
                .filter(policy -> policy.name().equals(nameOrIssuer) || policy.issuer().equals(nameOrIssuer))
                .findFirst();
    }

    @Override
    public String channel() {
        return "token_service_trusted_issuer";
    }

    /** Announcements may have been missed: re-read the stored issuers. */
    @Override
    public void subscribed() {
        reload().subscribe().with(ignored -> { }, failure -> { });
    }

    /**
     * A change to the stored issuer whose iss is {@code payload} was announced: what this replica held of it is
     * dropped at once (no token of it is accepted until the re-read brings it back as it is now, even when that read
     * fails), and the stored issuers are re-read. A read that started before is not applied after this.
     */
    @Override
    public void announced(String payload) {
        synchronized (this) {
            Map<String, IssuerPolicy> current = byIssuer;
            if (current != null && current.containsKey(payload) && !configured.containsKey(payload)) {
                Map<String, IssuerPolicy> without = new HashMap<>(current);
                without.remove(payload);
                byIssuer = Map.copyOf(without);
                applied = reads.incrementAndGet();
            }
        }
        subscribed();
    }

    /**
     * The read that requests arriving before any read share: one at a time, and each request continues on its own
     * context, not on the one the read finished on (a reactive session belongs to its context).
     */
    private Uni<Void> firstRead() {
        return Uni.createFrom().deferred(() -> {
            AtomicReference<Uni<Void>> self = new AtomicReference<>();
            Uni<Void> candidate = reload().onTermination().invoke(() -> firstRead.compareAndSet(self.get(), null))
                    .memoize().indefinitely();
            self.set(candidate);
            Uni<Void> running = firstRead.compareAndExchange(null, candidate);
            Uni<Void> read = running == null ? candidate : running;
            Context caller = Vertx.currentContext();
            return caller == null ? read : read.emitOn(work -> caller.runOnContext(ignored -> work.run()));
        });
    }

    /**
     * Re-reads the stored issuers now; fails when the database does not answer, keeping what was read before. A
     * read that finishes after a later-started one is dropped: what it read may predate a change.
     */
    public Uni<Void> reload() {
        long[] started = new long[1];
        return Uni.createFrom().deferred(() -> {
            started[0] = reads.incrementAndGet();
            return pool.query("""
                    SELECT name, issuer, jwks, jwks_uri, audiences, max_token_age, allow_reuse
                    FROM token_service.trusted_issuer
                    """).execute().plug(database::bounded);
        }).invoke(rows -> {
            Map<String, IssuerPolicy> read = new HashMap<>();
            for (Row row : rows) {
                String issuer = row.getString("issuer");
                if (configured.containsKey(issuer)) {
                    continue;
                }
                if (us.isOurIssuer(issuer)) {
                    // Stored before such issuers were refused: this service's own tokens must not authenticate clients.
                    LOG.warnf("Trusted issuer '%s' is this service's own issuer: ignored", row.getString("name"));
                    continue;
                }
                String[] audiences = row.getArrayOfStrings("audiences");
                read.put(issuer, new IssuerPolicy(row.getString("name"), issuer,
                        Optional.ofNullable(row.getString("jwks")), Optional.ofNullable(row.getString("jwks_uri")),
                        audiences.length == 0 ? defaultAudiences : new LinkedHashSet<>(List.of(audiences)),
                        Duration.ofSeconds(row.getInteger("max_token_age")), row.getBoolean("allow_reuse"),
                        IssuerPolicy.DATABASE));
            }
            read.putAll(configured);
            synchronized (this) {
                if (started[0] > applied) {
                    applied = started[0];
                    byIssuer = Map.copyOf(read);
                }
            }
        }).onFailure().invoke(failure -> LOG.warnf("Cannot read the trusted issuers, keeping what was read before: %s",
                failure.toString())).replaceWithVoid();
    }

    /** The first read of a replica that has not read yet fails: the configured ones stand meanwhile. */
    private Map<String, IssuerPolicy> current() {
        return byIssuer == null ? configured : byIssuer;
    }

    void start(@Observes StartupEvent event) {
        if (!Launch.serving()) {
            return;
        }
        // Read in the background: a replica is not held up at startup; a federated request before it reads itself.
        reload().subscribe().with(ignored -> { }, failure -> { });
        periodic = PeriodicRefresh.every(vertx, refreshInterval, databaseTimeout, "trusted issuers", this::reload);
    }

    void stop(@Observes ShutdownEvent event) {
        if (periodic != null) {
            periodic.stop();
        }
    }
}
