package io.tokenservice.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import io.tokenservice.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, point 2: a replica whose key reads keep failing went on signing with what it read last, a key retired
 * since among them. Past {@code keys.max-staleness} it signs nothing until a read succeeds.
 */
class StaleKeysTest {

    static final Duration MAX_STALENESS = Duration.ofMinutes(5);

    /** Keys on a schedule, whose reads fail until told otherwise. */
    static class Database implements KeySource {
        final AtomicReference<KeySet> stored;
        volatile boolean reachable;

        Database(KeySet stored) {
            this.stored = new AtomicReference<>(stored);
        }

        @Override
        public Uni<KeySet> refresh(boolean startup) {
            return read();
        }

        @Override
        public Uni<KeySet> read() {
            return reachable ? Uni.createFrom().item(stored.get())
                    : Uni.createFrom().failure(new IllegalStateException("database away"));
        }

        @Override
        public Uni<ScheduledKey> rotate() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<ScheduledKey> retire(String kid) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean scheduled() {
            return true;
        }

        @Override
        public Set<String> unreadable() {
            return Set.of();
        }
    }

    @Test
    void aReplicaThatCannotReadItsKeysStopsSigningPastMaxStalenessAndResumesOnceItReadsThem() throws Exception {
        SigningKey first = SigningKey.generate(SigningAlgorithm.ES256);
        KeySet keys = new KeySet(List.of(new ScheduledKey(first, Instant.EPOCH)));
        Database database = new Database(keys);
        MovableClock clock = new MovableClock();
        SigningKeys signing = new SigningKeys(database, keys, clock, MAX_STALENESS);

        clock.advance(MAX_STALENESS);
        assertEquals(first.kid(), signing.active().kid());
        signing.reread();
        clock.advance(Duration.ofSeconds(1));
        assertTrue(signing.stale());
        assertThrows(NoSigningKeyException.class, signing::active);
        assertEquals(List.of(), signing.verifying(), "a stale replica verifies nothing with keys perhaps retired");

        // The key was retired meanwhile, through another replica; a read that succeeds brings the new one.
        SigningKey second = SigningKey.generate(SigningAlgorithm.ES256);
        database.stored.set(new KeySet(List.of(new ScheduledKey(second, Instant.EPOCH))));
        database.reachable = true;
        signing.reread();
        assertFalse(signing.stale());
        assertEquals(second.kid(), signing.active().kid());
    }

    /** Issue 18 review: a periodic read that began before a retirement could put the retired key back after it. */
    @Test
    void aReadThatBeganBeforeAnotherIsNotAppliedAfterIt() throws Exception {
        SigningKey retired = SigningKey.generate(SigningAlgorithm.ES256);
        SigningKey next = SigningKey.generate(SigningAlgorithm.ES256);
        KeySet before = new KeySet(List.of(new ScheduledKey(retired, Instant.EPOCH)));
        KeySet after = new KeySet(List.of(new ScheduledKey(next, Instant.EPOCH)));
        AtomicReference<io.smallrye.mutiny.subscription.UniEmitter<? super KeySet>> slow = new AtomicReference<>();
        Database database = new Database(after) {
            @Override
            public Uni<KeySet> refresh(boolean startup) {
                return Uni.createFrom().emitter(emitter -> slow.set(emitter));
            }
        };
        database.reachable = true;
        SigningKeys signing = new SigningKeys(database, before, new MovableClock(), MAX_STALENESS);
        signing.reload().subscribe().with(ignored -> { });
        signing.reread();
        assertEquals(next.kid(), signing.active().kid());
        slow.get().complete(before);
        assertEquals(next.kid(), signing.active().kid(), "the older read put the retired key back");
    }

    @Test
    void keysFromPemFilesAreNeverStale() throws Exception {
        SigningKey key = SigningKey.generate(SigningAlgorithm.ES256);
        MovableClock clock = new MovableClock();
        SigningKeys signing = new SigningKeys(new FixedKeySource(key), KeySet.of(key), clock, MAX_STALENESS);
        clock.advance(Duration.ofDays(30));
        assertFalse(signing.stale());
        assertEquals(key.kid(), signing.active().kid());
    }
}
