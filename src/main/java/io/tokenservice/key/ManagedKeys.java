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
import org.jboss.logging.Logger;

/**
 * Signing keys kept in PostgreSQL, private halves sealed by the {@link KeyEncryptionKey}, and their schedule:
 * the first key signs at once; each later one is stored {@code publish-ahead} before it signs (every
 * {@code rotation-period}, on demand, or at startup when the configured algorithm changed); a key is deleted
 * once its successor has signed longer than any token lives. Every decision is taken under one transaction-scoped
 * advisory lock and the database clock, so replicas starting or rotating together agree on one schedule.
 */
final class ManagedKeys implements KeySource {

    private static final Logger LOG = Logger.getLogger(ManagedKeys.class);
    // pg_advisory_xact_lock key: the ASCII of "tsKeys\0\0", unique to this service's key schedule.
    private static final long SCHEDULE_LOCK = 0x74734b6579730000L;

    private final Pool pool;
    private final DatabaseCalls database;
    private final Vertx vertx;
    private final KeyEncryptionKeys keks;
    private final SigningAlgorithm algorithm;
    private final Duration publishAhead;
    private final Duration rotationPeriod;
    private final Duration retireAfter;
    private final Map<String, SigningKey> opened = new ConcurrentHashMap<>();
    private volatile Set<String> unreadable = Set.of();

    /**
     * @param retireAfter how long after its successor activates a key may still verify tokens: the longest token
     *     lifetime plus the tolerated clock skew
     */
    ManagedKeys(Pool pool, DatabaseCalls database, Vertx vertx, KeyEncryptionKeys keks, SigningAlgorithm algorithm, Duration publishAhead,
            Duration rotationPeriod, Duration retireAfter) {
        this.pool = pool;
        this.database = database;
        this.vertx = vertx;
        this.keks = keks;
        this.algorithm = algorithm;
        this.publishAhead = publishAhead;
        this.rotationPeriod = rotationPeriod;
        this.retireAfter = retireAfter;
    }

    /**
     * Proves the key-encryption keys against the stored keys before anything is written (a replica whose keys
     * open none of them fails, and at startup refuses to start), re-seals keys found under a previous
     * key-encryption key, deletes retired keys, stores the next key when one is due, and returns every stored key
     * this replica can open. At startup a change of the configured algorithm makes a rotation due as well.
     */
    @Override
    public Uni<KeySet> refresh(boolean startup) {
        return pool.withTransaction(connection -> lockAndRead(connection)
                        .flatMap(stored -> reseal(connection, prove(stored)).replaceWith(stored))
                        .flatMap(stored -> prune(connection, stored)))
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
     * Every stored key this replica can open, read without the schedule lock and without writing: what another
     * replica stored, re-sealed or deleted is seen here.
     */
    @Override
    public Uni<KeySet> read() {
        return pool.withConnection(connection -> readAll(connection, null)).map(this::open);
    }

    /**
     * Stores a new key that signs from {@code publish-ahead} from now; refused while another is pending. The
     * transaction (not the key generation before it) is bounded by {@code token-service.database.timeout}.
     */
    @Override
    public Uni<ScheduledKey> rotate() {
        return generate().flatMap(key -> database.bounded(pool.withTransaction(connection -> lockAndRead(connection).flatMap(stored -> {
            requireWritable(stored);
            Optional<KeySchedule.Slot> pending = stored.schedule().pending();
            if (pending.isPresent()) {
                return Uni.createFrom().failure(new RotationRefusedException(
                        "Key " + pending.get().kid() + " is already waiting to sign from " + pending.get().activatesAt()));
            }
            Instant at = stored.now().plus(publishAhead);
            return insert(connection, key, at).replaceWith(new ScheduledKey(key, at));
        }))));
    }

    /**
     * Retires {@code kid} at once: the row is deleted, so it leaves every replica's JWKS and stops signing there
     * within the refresh interval, and the tokens it signed no longer verify. If it was signing, a new key signs
     * from now on (verifiers refetch the JWKS on an unknown kid); a pending key keeps its activation.
     *
     * @return the new signing key, or null when the retired key was not the one signing
     */
    @Override
    public Uni<ScheduledKey> retire(String kid) {
        return generate().flatMap(key -> database.bounded(pool.withTransaction(connection -> lockAndRead(connection)
                .flatMap(stored -> {
                    requireWritable(stored);
                    KeySchedule schedule = stored.schedule();
                    if (schedule.slots().stream().noneMatch(slot -> slot.kid().equals(kid))) {
                        return Uni.createFrom().failure(new UnknownKeyException(kid));
                    }
                    boolean signing = schedule.active().map(active -> active.kid().equals(kid)).orElse(false);
                    Uni<Void> delete = connection.preparedQuery("DELETE FROM token_service.signing_key WHERE kid = $1")
                            .execute(Tuple.of(kid)).replaceWithVoid();
                    return signing
                            ? delete.flatMap(ignored -> insert(connection, key, stored.now()))
                                    .replaceWith(new ScheduledKey(key, stored.now()))
                            : delete.replaceWith((ScheduledKey) null);
                }))));
    }

    @Override
    public boolean scheduled() {
        return true;
    }

    /** The stored keys none of this replica's key-encryption keys opens, as of the last refresh. */
    @Override
    public Set<String> unreadable() {
        return unreadable;
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
                .flatMap(now -> readAll(connection, now));
    }

    /** Every stored key, as of {@code now} (null when no schedule decision is taken on what is read). */
    private static Uni<Stored> readAll(SqlConnection connection, Instant now) {
        return connection.query("""
                SELECT kid, algorithm, public_key, private_key, kek_id, activates_at
                FROM token_service.signing_key ORDER BY activates_at
                """).execute().map(rows -> {
            List<StoredKey> keys = new ArrayList<>();
            for (Row row : rows) {
                keys.add(new StoredKey(row.getString("kid"), SigningAlgorithm.valueOf(row.getString("algorithm")),
                        row.getBuffer("public_key").getBytes(), row.getBuffer("private_key").getBytes(),
                        row.getString("kek_id"), row.getOffsetDateTime("activates_at").toInstant()));
            }
            return new Stored(now, keys);
        });
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
        byte[] sealed = keks.current().seal(key.privateKey().getEncoded(), key.kid());
        return connection.preparedQuery("""
                INSERT INTO token_service.signing_key (kid, algorithm, public_key, private_key, kek_id, activates_at)
                VALUES ($1, $2, $3, $4, $5, $6)
                """).execute(Tuple.tuple(List.of(key.kid(), key.algorithm().name(),
                        io.vertx.core.buffer.Buffer.buffer(key.publicKey().getEncoded()),
                        io.vertx.core.buffer.Buffer.buffer(sealed), keks.current().id(),
                        OffsetDateTime.ofInstant(activatesAt, ZoneOffset.UTC))))
                .replaceWithVoid();
    }

    /**
     * Opens every stored key this replica can, keeping what it opened, and notes the rest as unreadable (logged,
     * never fatal for the others). Fails when keys are stored and none of them opens: this replica's
     * key-encryption keys are wrong, and it must not write anything.
     *
     * @return the keys opened under a previous key-encryption key (or before ids were recorded), to re-seal
     */
    private List<SigningKey> prove(Stored stored) {
        Set<String> unopened = new java.util.LinkedHashSet<>();
        List<SigningKey> toReseal = new ArrayList<>();
        int readable = 0;
        for (StoredKey row : stored.keys()) {
            boolean sealedUnderCurrent = keks.current().id().equals(row.kekId());
            if (sealedUnderCurrent && opened.containsKey(row.kid())) {
                readable++;
                continue;
            }
            Optional<KeyEncryptionKeys.Opened> plaintext = keks.open(row.sealedPrivateKey(), row.kid(), row.kekId());
            Optional<SigningKey> key = plaintext.flatMap(row::parse);
            if (key.isEmpty()) {
                unopened.add(row.kid());
                continue;
            }
            readable++;
            opened.put(row.kid(), key.get());
            if (!plaintext.get().underCurrent() || !sealedUnderCurrent) {
                toReseal.add(key.get());
            }
        }
        if (!stored.keys().isEmpty() && readable == 0) {
            throw new IllegalStateException("None of the " + stored.keys().size() + " stored signing keys opens under "
                    + KeyEncryptionKey.ENVIRONMENT + " (or " + KeyEncryptionKeys.PREVIOUS_ENVIRONMENT
                    + "): the key-encryption key is wrong. Nothing was written; set the key the signing keys were "
                    + "sealed with, and a new one as " + KeyEncryptionKey.ENVIRONMENT + " with the old one in "
                    + KeyEncryptionKeys.PREVIOUS_ENVIRONMENT + " to rotate it.");
        }
        if (!unopened.equals(unreadable)) {
            unopened.stream().filter(kid -> !unreadable.contains(kid)).forEach(kid -> LOG.warnf(
                    "Stored signing key %s opens under none of this replica's key-encryption keys: skipped", kid));
        }
        unreadable = Set.copyOf(unopened);
        return toReseal;
    }

    /**
     * Refuses a change of the schedule on a replica whose key-encryption keys do not open the signing key: what it
     * stored would be sealed under a key the replicas that can sign may not have.
     */
    private void requireWritable(Stored stored) {
        prove(stored);
        Optional<KeySchedule.Slot> active = stored.schedule().active();
        if (active.isPresent() && unreadable.contains(active.get().kid())) {
            throw new RotationRefusedException("This replica cannot open the signing key " + active.get().kid()
                    + " (its key-encryption keys are out of date); change keys through a replica that can");
        }
    }

    /** Seals each key under the current key-encryption key, recording its id, under the lock the caller holds. */
    private Uni<Void> reseal(SqlConnection connection, List<SigningKey> keys) {
        Uni<Void> done = Uni.createFrom().voidItem();
        for (SigningKey key : keys) {
            byte[] sealed = keks.current().seal(key.privateKey().getEncoded(), key.kid());
            done = done.flatMap(ignored -> connection.preparedQuery(
                            "UPDATE token_service.signing_key SET private_key = $2, kek_id = $3 WHERE kid = $1")
                    .execute(Tuple.of(key.kid(), io.vertx.core.buffer.Buffer.buffer(sealed), keks.current().id()))
                    .invoke(() -> LOG.infof("Re-sealed signing key %s under the current key-encryption key", key.kid()))
                    .replaceWithVoid());
        }
        return done;
    }

    /** The stored keys this replica has opened, in schedule order; the unreadable ones are left out. */
    private KeySet open(Stored stored) {
        Set<String> kids = stored.keys().stream().map(StoredKey::kid).collect(Collectors.toSet());
        opened.keySet().retainAll(kids);
        List<ScheduledKey> keys = new ArrayList<>();
        for (StoredKey row : stored.keys()) {
            SigningKey key = opened.get(row.kid());
            if (key == null && !unreadable.contains(row.kid())) {
                // Stored after this refresh proved the keys (by this replica or another): opened once, here.
                key = keks.open(row.sealedPrivateKey(), row.kid(), row.kekId()).flatMap(row::parse).orElse(null);
            }
            if (key != null) {
                opened.put(row.kid(), key);
                keys.add(new ScheduledKey(key, row.activatesAt()));
            }
        }
        return new KeySet(keys);
    }

    /** A row of the signing_key table, its private half still sealed. */
    private record StoredKey(String kid, SigningAlgorithm algorithm, byte[] publicKey, byte[] sealedPrivateKey,
            String kekId, Instant activatesAt) {

        /** The key pair, when the opened private half pairs with the stored public half under this kid. */
        Optional<SigningKey> parse(KeyEncryptionKeys.Opened plaintext) {
            try {
                // Sealed for this kid, the thumbprint of publicKey (checked below): no signature needed to pair them.
                SigningKey key = SigningKey.parse(algorithm, plaintext.plaintext(), publicKey);
                return key.kid().equals(kid) ? Optional.of(key) : Optional.empty();
            } catch (java.security.GeneralSecurityException e) {
                return Optional.empty();
            }
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
