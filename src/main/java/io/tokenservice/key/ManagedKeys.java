package io.tokenservice.key;

import io.smallrye.mutiny.Uni;
import io.tokenservice.error.OAuthError;
import io.tokenservice.error.OAuthException;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Signing keys kept in PostgreSQL, private halves sealed by the {@link KeyEncryptionKey}, and their schedule:
 * the first key signs at once; each later one is stored {@code publish-ahead} before it signs (every
 * {@code rotation-period}, on demand, or at startup when the configured algorithm changed); a key is deleted
 * once its successor has signed longer than any token lives. Every decision is taken under one transaction-scoped
 * advisory lock and the database clock, so replicas starting or rotating together agree on one schedule.
 */
final class ManagedKeys {

    // pg_advisory_xact_lock key: the ASCII of "tsKeys\0\0", unique to this service's key schedule.
    private static final long SCHEDULE_LOCK = 0x74734b6579730000L;

    private final Pool pool;
    private final Vertx vertx;
    private final KeyEncryptionKey kek;
    private final SigningAlgorithm algorithm;
    private final Duration publishAhead;
    private final Duration rotationPeriod;
    private final Duration retireAfter;
    private final Map<String, SigningKey> opened = new ConcurrentHashMap<>();

    /**
     * @param retireAfter how long after its successor activates a key may still verify tokens: the longest token
     *     lifetime plus the tolerated clock skew
     */
    ManagedKeys(Pool pool, Vertx vertx, KeyEncryptionKey kek, SigningAlgorithm algorithm, Duration publishAhead,
            Duration rotationPeriod, Duration retireAfter) {
        this.pool = pool;
        this.vertx = vertx;
        this.kek = kek;
        this.algorithm = algorithm;
        this.publishAhead = publishAhead;
        this.rotationPeriod = rotationPeriod;
        this.retireAfter = retireAfter;
    }

    /**
     * Stores the next key when one is due, deletes retired keys, and returns every stored key. At startup a
     * change of the configured algorithm makes a rotation due as well.
     */
    Uni<KeySet> refresh(boolean startup) {
        return pool.withTransaction(this::lockAndRead).flatMap(schedule -> {
            if (nextActivation(schedule, startup).isEmpty()) {
                return Uni.createFrom().item(schedule);
            }
            // The key is generated off the event loop and outside the lock; if another replica stored one
            // meanwhile, this one is thrown away.
            return generate().flatMap(key -> pool.withTransaction(connection -> lockAndRead(connection)
                    .flatMap(current -> nextActivation(current, startup)
                            .map(at -> insert(connection, key, at).flatMap(ignored -> lockAndRead(connection)))
                            .orElseGet(() -> Uni.createFrom().item(current)))));
        }).map(this::open);
    }

    /** Stores a new key that signs from {@code publish-ahead} from now; a 409 while another is pending. */
    Uni<ScheduledKey> rotate() {
        return generate().flatMap(key -> pool.withTransaction(connection -> lockAndRead(connection).flatMap(schedule -> {
            if (schedule.pending().isPresent()) {
                return Uni.createFrom().failure(new OAuthException(OAuthError.CONFLICT,
                        "Key " + schedule.pending().get().kid() + " is already waiting to sign from "
                                + schedule.pending().get().activatesAt()));
            }
            Instant at = schedule.now().plus(publishAhead);
            return insert(connection, key, at).replaceWith(new ScheduledKey(key, at));
        })));
    }

    /** When the next key must start signing, if one must be stored now. */
    private Optional<Instant> nextActivation(Schedule schedule, boolean startup) {
        Optional<StoredKey> active = schedule.active();
        if (active.isEmpty()) {
            // The very first key signs at once: no token exists that a verifier could miss it for.
            return Optional.of(schedule.now());
        }
        if (schedule.pending().isPresent()) {
            return Optional.empty();
        }
        boolean rotationDue = !active.get().activatesAt().plus(rotationPeriod).isAfter(schedule.now().plus(publishAhead));
        boolean algorithmChanged = startup && active.get().algorithm() != algorithm;
        return rotationDue || algorithmChanged ? Optional.of(schedule.now().plus(publishAhead)) : Optional.empty();
    }

    /** A new key pair, generated on a worker thread (RSA takes a while) and delivered on the caller's context. */
    private Uni<SigningKey> generate() {
        return Uni.createFrom().completionStage(() -> vertx.executeBlocking(() -> SigningKey.generate(algorithm), false)
                .toCompletionStage());
    }

    private Uni<Schedule> lockAndRead(SqlConnection connection) {
        return connection.preparedQuery("SELECT now() FROM (SELECT pg_advisory_xact_lock($1)) locked")
                .execute(Tuple.of(SCHEDULE_LOCK))
                .flatMap(lock -> connection.preparedQuery("""
                        DELETE FROM token_service.signing_key retired WHERE EXISTS (
                            SELECT 1 FROM token_service.signing_key successor
                            WHERE successor.activates_at > retired.activates_at
                              AND successor.activates_at <= now() - make_interval(secs => $1))
                        """).execute(Tuple.of((double) retireAfter.toMillis() / 1000))
                        .replaceWith(lock.iterator().next().getOffsetDateTime(0).toInstant()))
                .flatMap(now -> connection.query("""
                        SELECT kid, algorithm, public_key, private_key, activates_at
                        FROM token_service.signing_key ORDER BY activates_at
                        """).execute().map(rows -> {
                    List<StoredKey> keys = new ArrayList<>();
                    for (Row row : rows) {
                        keys.add(new StoredKey(row.getString("kid"), SigningAlgorithm.valueOf(row.getString("algorithm")),
                                row.getBuffer("public_key").getBytes(), row.getBuffer("private_key").getBytes(),
                                row.getOffsetDateTime("activates_at").toInstant()));
                    }
                    return new Schedule(now, keys);
                }));
    }

    private Uni<Void> insert(SqlConnection connection, SigningKey key, Instant activatesAt) {
        byte[] sealed = kek.seal(key.privateKey().getEncoded(), key.kid());
        return connection.preparedQuery("""
                INSERT INTO token_service.signing_key (kid, algorithm, public_key, private_key, activates_at)
                VALUES ($1, $2, $3, $4, $5)
                """).execute(Tuple.of(key.kid(), key.algorithm().name(),
                        io.vertx.core.buffer.Buffer.buffer(key.publicKey().getEncoded()),
                        io.vertx.core.buffer.Buffer.buffer(sealed),
                        OffsetDateTime.ofInstant(activatesAt, ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    private KeySet open(Schedule schedule) {
        Set<String> stored = schedule.keys().stream().map(StoredKey::kid).collect(Collectors.toSet());
        opened.keySet().retainAll(stored);
        return new KeySet(schedule.keys().stream()
                .map(key -> new ScheduledKey(opened.computeIfAbsent(key.kid(), kid -> key.open(kek)), key.activatesAt()))
                .toList());
    }

    /** A row of the signing_key table, its private half still sealed. */
    private record StoredKey(String kid, SigningAlgorithm algorithm, byte[] publicKey, byte[] sealedPrivateKey,
            Instant activatesAt) {

        SigningKey open(KeyEncryptionKey kek) {
            SigningKey key;
            try {
                // Sealed for this kid, the thumbprint of publicKey (checked below): no signature needed to pair them.
                key = SigningKey.parse(algorithm, kek.open(sealedPrivateKey, kid), publicKey);
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException("stored signing key " + kid + " is not a " + algorithm + " key pair", e);
            }
            if (!key.kid().equals(kid)) {
                throw new IllegalStateException("stored signing key " + kid + " has the thumbprint " + key.kid());
            }
            return key;
        }
    }

    /** The stored keys as of the database's {@code now}, read under the schedule lock. */
    private record Schedule(Instant now, List<StoredKey> keys) {

        Optional<StoredKey> active() {
            return keys.stream().filter(key -> !key.activatesAt().isAfter(now)).reduce((first, second) -> second);
        }

        Optional<StoredKey> pending() {
            return keys.stream().filter(key -> key.activatesAt().isAfter(now)).findFirst();
        }

    }
}
