package io.tokenservice.admin;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.tokenservice.client.RegisteredClient;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.client.secret.VerifiedSecrets;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.token.AdminAuthority;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The bootstrap admin client of {@code TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_ID} and
 * {@code TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_SECRET}, with scope {@code admin} and the admin audience. By default
 * ({@code token-service.bootstrap.mode=create-once}) it is created at the first startup on a database, which is
 * recorded, and never touched again: an operator who deletes it, takes its scope or rotates its secret keeps it
 * that way. With {@code enforce}, every startup restores it. Every change it makes is an audit row (actor
 * {@code bootstrap}); replicas starting together converge. Production refuses a secret under 32 characters. The
 * secret itself is never logged.
 */
@ApplicationScoped
public class BootstrapAdminClient {

    static final int MIN_SECRET_LENGTH = 32;
    static final String ACTOR = "bootstrap";
    private static final Logger LOG = Logger.getLogger(BootstrapAdminClient.class);

    private final SecretHasher hasher;
    private final VerifiedSecrets verifiedSecrets;
    private final AdminAudit audit;
    private final AdminAuthority authority;
    private final TokenServiceConfig.Bootstrap bootstrap;

    BootstrapAdminClient(SecretHasher hasher, VerifiedSecrets verifiedSecrets, AdminAudit audit, AdminAuthority authority,
            TokenServiceConfig config) {
        this.hasher = hasher;
        this.verifiedSecrets = verifiedSecrets;
        this.audit = audit;
        this.authority = authority;
        this.bootstrap = config.bootstrap();
    }

    /** Makes sure of the configured bootstrap admin: one of the start-up reads of a serving replica. */
    public void start() throws Throwable {
        Optional<String> clientId = bootstrap.adminClientId().filter(id -> !id.isBlank());
        Optional<String> secret = bootstrap.adminClientSecret().filter(s -> !s.isEmpty());
        if (clientId.isEmpty() && secret.isEmpty()) {
            return;
        }
        if (clientId.isEmpty() || secret.isEmpty()) {
            throw new IllegalStateException("Set both TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_ID and "
                    + "TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_SECRET, or neither");
        }
        if (LaunchMode.current() == LaunchMode.NORMAL && secret.get().length() < MIN_SECRET_LENGTH) {
            throw new IllegalStateException("TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_SECRET must be at least "
                    + MIN_SECRET_LENGTH + " characters (openssl rand -base64 32)");
        }
        String outcome = VertxContextSupport.subscribeAndAwait(() -> ensure(clientId.get(), secret.get()));
        LOG.infof("Bootstrap admin client '%s' %s", clientId.get(), outcome);
    }

    /** What the configured mode asks of {@code clientId} and {@code secret}; returns what was done. */
    public Uni<String> ensure(String clientId, String secret) {
        return ensure(clientId, secret, bootstrap.mode());
    }

    Uni<String> ensure(String clientId, String secret, TokenServiceConfig.BootstrapMode mode) {
        return mode == TokenServiceConfig.BootstrapMode.ENFORCE ? enforce(clientId, secret) : createOnce(clientId, secret);
    }

    /**
     * Creates the admin client unless this database recorded a bootstrap before. A client that exists unrecorded
     * (made by an operator, or by a version before the record) is recorded as it is. Where the stored hash takes
     * the configured secret, it is remembered as verified: the admin's first token costs no second slow hash (on a
     * restart that check runs in the background, off the start path).
     */
    private Uni<String> createOnce(String clientId, String secret) {
        return Panache.withSession(() -> recorded(clientId).flatMap(recorded -> RegisteredClient
                        .<RegisteredClient>findById(clientId).map(existing -> new Found(recorded, existing))))
                .flatMap(found -> {
                    if (found.recorded()) {
                        // Off the start path (a cold start pays no slow hash for it): one verification, so that the
                        // admin's first token after a restart needs none.
                        rememberIfMatches(clientId, secret, found.existing()).subscribe().with(ignored -> { },
                                failure -> LOG.debugf("Bootstrap admin secret not checked: %s", failure.toString()));
                        return Uni.createFrom().item("was created before; left as it is");
                    }
                    return hasher.hash(secret).flatMap(hash -> Panache.withTransaction(() -> createFirst(clientId, secret, hash)));
                });
    }

    /** Records the bootstrap, and creates the client unless it exists; within the caller's transaction. */
    private Uni<String> createFirst(String clientId, String secret, String hash) {
        return record(clientId).flatMap(first -> {
            if (!first) {
                return Uni.createFrom().item("was created by another replica");
            }
            return RegisteredClient.<RegisteredClient>findById(clientId).flatMap(existing -> existing != null
                    ? audit.recordAs(ACTOR, "bootstrap.admin_recorded", clientId, "existing client kept as it is")
                            .replaceWith("exists; recorded as the bootstrap admin, left as it is")
                    : create(clientId, hash)
                            .call(() -> audit.recordAs(ACTOR, "bootstrap.admin_created", clientId,
                                    "scope=" + AdminAuthority.SCOPE + " audience=" + authority.audience()))
                            .invoke(() -> verifiedSecrets.remember(clientId, secret, hash))
                            .replaceWith("created"));
        });
    }

    /** Whether this database recorded a bootstrap of the client, and the client as it is now (or null). */
    private record Found(boolean recorded, RegisteredClient existing) {
    }

    /**
     * Re-creates the admin client, restores scope admin and the admin audience, resets the secret (dropping any
     * grace-window secret) and retires the tokens issued before: audited. A re-created client honours no token
     * issued before it, so the tokens of an admin an operator deleted stay dead.
     */
    private Uni<String> enforce(String clientId, String secret) {
        return Panache.withSession(() -> RegisteredClient.<RegisteredClient>findById(clientId))
                .flatMap(existing -> upToDate(existing, secret).flatMap(current -> {
                    if (current) {
                        verifiedSecrets.remember(clientId, secret, existing.secretHash);
                        return Panache.withTransaction(() -> record(clientId)).replaceWith("is up to date");
                    }
                    return hasher.hash(secret).flatMap(hash -> Panache.withTransaction(() -> record(clientId)
                                    .flatMap(ignored -> existing == null ? create(clientId, hash) : restore(clientId, hash))
                                    .call(() -> audit.recordAs(ACTOR, existing == null ? "bootstrap.admin_created"
                                            : "bootstrap.admin_enforced", clientId, "mode=enforce secret=reset scope="
                                            + AdminAuthority.SCOPE + " audience=" + authority.audience())))
                                    .invoke(() -> verifiedSecrets.remember(clientId, secret, hash)))
                            .replaceWith(existing == null ? "created" : "restored (mode enforce)");
                }));
    }

    private Uni<Boolean> upToDate(RegisteredClient existing, String secret) {
        if (existing == null || !authority.mayAdminister(List.of(existing.scopes), existing.audienceList())) {
            return Uni.createFrom().item(false);
        }
        if (!existing.enabled) {
            LOG.warnf("Bootstrap admin client '%s' is disabled; leaving it disabled", existing.clientId);
        }
        return matches(secret, existing.secretHash);
    }

    /** Whether {@code secret} verifies against {@code storedHash}, on the admin lane. */
    private Uni<Boolean> matches(String secret, String storedHash) {
        return hasher.firstMatch(List.of(new SecretHasher.Check(secret, storedHash)), SecretHasher.Lane.ADMIN, false)
                .map(match -> match.isPresent());
    }

    private Uni<Void> rememberIfMatches(String clientId, String secret, RegisteredClient existing) {
        if (existing == null) {
            return Uni.createFrom().voidItem();
        }
        return matches(secret, existing.secretHash).invoke(matches -> {
            if (matches) {
                verifiedSecrets.remember(clientId, secret, existing.secretHash);
            } else {
                LOG.infof("Bootstrap admin client '%s' has another secret than the configured one; left as it is", clientId);
            }
        }).replaceWithVoid();
    }

    private static Uni<Boolean> recorded(String clientId) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "SELECT count(*) FROM token_service.bootstrap_admin WHERE client_id = :clientId", Long.class)
                .setParameter("clientId", clientId).getSingleResult()).map(count -> count > 0);
    }

    /** Records the bootstrap of {@code clientId}; false when another replica (or an earlier start) did. */
    private static Uni<Boolean> record(String clientId) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "INSERT INTO token_service.bootstrap_admin (client_id) VALUES (:clientId) ON CONFLICT DO NOTHING")
                .setParameter("clientId", clientId).executeUpdate()).map(inserted -> inserted > 0);
    }

    private Uni<Void> create(String clientId, String hash) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery("""
                INSERT INTO token_service.client (client_id, secret_hash, scopes, audience, tokens_not_before)
                VALUES (:clientId, :hash, ARRAY[:scope], ARRAY[:audience], date_trunc('second', now()) + interval '1 second')
                ON CONFLICT (client_id) DO NOTHING
                """).setParameter("clientId", clientId).setParameter("hash", hash)
                .setParameter("scope", AdminAuthority.SCOPE).setParameter("audience", authority.audience())
                .executeUpdate()).replaceWithVoid();
    }

    private Uni<Void> restore(String clientId, String hash) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery("""
                UPDATE token_service.client SET
                    secret_hash = :hash,
                    token_endpoint_auth_method = CASE WHEN token_endpoint_auth_method = 'client_secret_post'
                        THEN token_endpoint_auth_method ELSE 'client_secret_basic' END,
                    jwks = NULL,
                    jwks_uri = NULL,
                    previous_secret_hash = NULL,
                    previous_secret_expires_at = NULL,
                    tokens_min_version = version + 1,
                    scopes = CASE WHEN :scope = ANY (scopes) THEN scopes ELSE array_append(scopes, :scope) END,
                    audience = CASE WHEN :audience = ANY (audience) THEN audience ELSE array_append(audience, :audience) END,
                    updated_at = now(),
                    version = version + 1
                WHERE client_id = :clientId
                """).setParameter("clientId", clientId).setParameter("hash", hash)
                .setParameter("scope", AdminAuthority.SCOPE).setParameter("audience", authority.audience())
                .executeUpdate()).replaceWithVoid();
    }
}
