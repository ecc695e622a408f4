package io.tokenservice.client;

import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.client.secret.VerifiedSecrets;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Makes a client's secret hash again at today's cost once its secret has verified against a hash of another cost or
 * format (an older Argon2id cost, an imported PBKDF2 or bcrypt hash): the secret is at hand only then. In the
 * background, after the request was answered, on the admin hashing lane; stored only if the hash is still the one that
 * verified (a rotation meanwhile wins). Never for a client the clients file declares: the file owns its hash.
 */
@ApplicationScoped
public class SecretRehash {

    private static final Logger LOG = Logger.getLogger(SecretRehash.class);

    private final SecretHasher hasher;
    private final VerifiedSecrets verifiedSecrets;
    private final Pool pool;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    SecretRehash(SecretHasher hasher, VerifiedSecrets verifiedSecrets, Pool pool) {
        this.hasher = hasher;
        this.verifiedSecrets = verifiedSecrets;
        this.pool = pool;
    }

    /** {@code secret} verified against {@code hash}, the client's current secret hash: upgrades it if outdated. */
    void afterVerified(String clientId, String secret, String hash) {
        if (!hasher.isOutdated(hash) || !inFlight.add(clientId)) {
            return;
        }
        hasher.hash(secret)
                .flatMap(upgraded -> pool.preparedQuery("""
                                UPDATE token_service.client SET secret_hash = $1
                                WHERE client_id = $2 AND secret_hash = $3 AND source = 'api'
                                """).execute(Tuple.of(upgraded, clientId, hash))
                        .invoke(rows -> {
                            if (rows.rowCount() == 1) {
                                verifiedSecrets.remember(clientId, secret, upgraded);
                                LOG.infof("Client '%s': secret hashed again at the current cost", clientId);
                            }
                        }))
                .eventually(() -> inFlight.remove(clientId))
                .subscribe().with(ignored -> { }, failure -> LOG.debugf(
                        "Client '%s': secret not hashed again this time: %s", clientId, failure.toString()));
    }
}
