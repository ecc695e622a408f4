package io.tokenservice.admin;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.tokenservice.client.RegisteredClient;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.client.secret.VerifiedSecrets;
import io.tokenservice.config.TokenServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Makes sure the bootstrap admin client of {@code TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_ID} and
 * {@code TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_SECRET} exists after startup, with scope {@code admin} and that
 * secret: created, or its hash and scopes brought up to date. Replicas starting together converge through one
 * upsert. The secret itself is never logged.
 */
@ApplicationScoped
public class BootstrapAdminClient {

    private static final Logger LOG = Logger.getLogger(BootstrapAdminClient.class);

    private final SecretHasher hasher;
    private final VerifiedSecrets verifiedSecrets;
    private final TokenServiceConfig.Bootstrap bootstrap;

    BootstrapAdminClient(SecretHasher hasher, VerifiedSecrets verifiedSecrets, TokenServiceConfig config) {
        this.hasher = hasher;
        this.verifiedSecrets = verifiedSecrets;
        this.bootstrap = config.bootstrap();
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        Optional<String> clientId = bootstrap.adminClientId().filter(id -> !id.isBlank());
        Optional<String> secret = bootstrap.adminClientSecret().filter(s -> !s.isEmpty());
        if (clientId.isEmpty() && secret.isEmpty()) {
            return;
        }
        if (clientId.isEmpty() || secret.isEmpty()) {
            throw new IllegalStateException("Set both TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_ID and "
                    + "TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_SECRET, or neither");
        }
        String outcome = VertxContextSupport.subscribeAndAwait(() -> ensure(clientId.get(), secret.get()));
        LOG.infof("Bootstrap admin client '%s' %s", clientId.get(), outcome);
    }

    /**
     * Ensures {@code clientId} exists with scope admin and {@code secret}; returns what it did. The secret has
     * just been checked against (or hashed into) the stored hash, so it is remembered as verified: the admin's
     * first token request costs no second slow hash.
     */
    public Uni<String> ensure(String clientId, String secret) {
        return Panache.withSession(() -> RegisteredClient.<RegisteredClient>findById(clientId))
                .flatMap(existing -> upToDate(existing, secret).flatMap(current -> {
                    if (current) {
                        verifiedSecrets.remember(clientId, secret, existing.secretHash);
                        return Uni.createFrom().item("is up to date");
                    }
                    return hasher.hash(secret).call(hash -> upsert(clientId, hash))
                            .invoke(hash -> verifiedSecrets.remember(clientId, secret, hash))
                            .replaceWith(existing == null ? "created" : "updated");
                }));
    }

    private Uni<Boolean> upToDate(RegisteredClient existing, String secret) {
        if (existing == null || !List.of(existing.scopes).contains(AdminAuthority.SCOPE)) {
            return Uni.createFrom().item(false);
        }
        if (!existing.enabled) {
            LOG.warnf("Bootstrap admin client '%s' is disabled; leaving it disabled", existing.clientId);
        }
        return hasher.firstMatch(List.of(new SecretHasher.Check(secret, existing.secretHash))).map(match -> match.isPresent());
    }

    private static Uni<Integer> upsert(String clientId, String hash) {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session.createNativeQuery("""
                INSERT INTO token_service.client AS client (client_id, secret_hash, scopes) VALUES (:clientId, :hash, ARRAY['admin'])
                ON CONFLICT (client_id) DO UPDATE SET
                    secret_hash = EXCLUDED.secret_hash,
                    scopes = CASE WHEN 'admin' = ANY (client.scopes) THEN client.scopes
                                  ELSE array_append(client.scopes, 'admin') END,
                    updated_at = now(),
                    version = client.version + 1
                """).setParameter("clientId", clientId).setParameter("hash", hash).executeUpdate()));
    }
}
