package io.tokenservice.key;

import io.smallrye.mutiny.Uni;
import io.tokenservice.database.DatabaseCalls;
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
final class ManagedKeys implements KeySource {

    // pg_advisory_xact_lock key: the ASCII of "tsKeys\0\0", unique to this service's key schedule.
    private static final long SCHEDULE_LOCK = 0x74734b6579730000L;

    private final Pool pool;
    private final DatabaseCalls database;
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
    ManagedKeys(Pool pool, DatabaseCalls database, Vertx vertx, KeyEncryptionKey kek, SigningAlgorithm algorithm, Duration publishAhead,
            Duration rotationPeriod, Duration retireAfter) {
        this.pool = pool;
        this.database = database;
        this.vertx = vertx;
        this.kek = kek;
        this.algorithm = algorithm;
        this.publishAhead = publishAhead;
        this.rotationPeriod = rotationPeriod;
        this.retireAfter = retireAfter;
    }

    /**
     * Deletes retired keys, stores the next key when one is due, and returns every stored key. At startup a
     * change of the configured algorithm makes a rotation due as well.
     */
    @Override
    public Uni<KeySet> refresh(boolean startup) {
        return pool.withTransaction(connection -> lockAndRead(connection).flatMap(stored -> prune(connection, stored)))
                .flatMap(stored -> {
                    if (nextActivation(stored, startup).isEmpty()) {
                        return Uni.createFrom().item(stored);
                    }
                    // The key is generated off the event loop and outside the lock; if another replica stored one
                    // meanwhile, this one is thrown away.
                    return generate().flatMap(key -> pool.withTransaction(connection -> lockAndRead(connection)
                            .flatMap(current -> nextActivation(current, startup)
                                    .map(at -> insert(connection, key, at).flatMap(ignored -> lockAndRead(connection)))
                                    .orElseGet(() -> Uni.createFrom().item(current)))));
                }).map(this::open);
    }

    /**
     * Stores a new key that signs from {@code publish-ahead} from now; refused while another is pending. The
     * transaction (not the key generation before it) is bounded by {@code token-service.database.timeout}.
     */
    @Override
    public Uni<ScheduledKey> rotate() {
        return generate().flatMap(key -> database.bounded(pool.withTransaction(connection -> lockAndRead(connection).flatMap(stored -> {
            Optional<KeySchedule.Slot> pending = stored.schedule().pending();
            if (pending.isPresent()) {
                return Uni.createFrom().failure(new RotationRefusedException(
                        "Key " + pending.get().kid() + " is already waiting to sign from " + pending.get().activatesAt()));
            }
            Instant at = stored.now().plus(publishAhead);
            return insert(connection, key, at).replaceWith(new ScheduledKey(key, at));
        }))));
    }

    @Override
    public boolean scheduled() {
        return true;
    }

    private Optional<Instant> nextActivation(Stored stored, boolean startup) {
        return stored.schedule().nextActivation(algorithm, rotationPeriod, publishAhead, startup);
    }

    /** A new key pair, generated on a worker thread (RSA takes a while) and delivered on the caller's context. */
    private Uni<SigningKey> generate() {
        return Uni.createFrom().completionStage(() -> vertx.executeBlocking(() -> SigningKey.generate(algorithm), false)
                .toCompletionStage());
    }

    /** Takes the schedule lock for this transaction and reads every stored key as of the database's now. */
    private Uni<Stored> lockAndRead(SqlConnection connection) {
        return connection.preparedQuery("SELECT now() FROM (SELECT pg_advisory_xact_lock($1)) locked")
                .execute(Tuple.of(SCHEDULE_LOCK))
                .map(lock -> lock.iterator().next().getOffsetDateTime(0).toInstant())
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
                    return new Stored(now, keys);
                }));
    }

    /** Deletes the keys the schedule says are retired, under the lock {@link #lockAndRead} took. */
    private Uni<Stored> prune(SqlConnection connection, Stored stored) {
        List<String> retired = stored.schedule().retired(retireAfter);
        if (retired.isEmpty()) {
            return Uni.createFrom().item(stored);
        }
        return connection.preparedQuery("DELETE FROM token_service.signing_key WHERE kid = ANY($1)")
                .execute(Tuple.of(retired.toArray(String[]::new)))
                .replaceWith(new Stored(stored.now(),
                        stored.keys().stream().filter(key -> !retired.contains(key.kid())).toList()));
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

    private KeySet open(Stored schedule) {
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
    private record Stored(Instant now, List<StoredKey> keys) {

        KeySchedule schedule() {
            return new KeySchedule(now, keys.stream()
                    .map(key -> new KeySchedule.Slot(key.kid(), key.algorithm(), key.activatesAt())).toList());
        }
    }
}
