package io.tokenservice.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The gate gives back every permit, however a call ends, and skips callers that stopped waiting. */
class ConcurrencyGateTest {

    @Test
    void aCallThatThrowsGivesItsPermitBack() {
        ConcurrencyGate gate = new ConcurrencyGate(1, 8);
        for (int i = 0; i < 3; i++) {
            assertThrows(IllegalStateException.class, () -> gate.<String>run(() -> {
                throw new IllegalStateException("a loader that throws before it returns a Uni");
            }).await().atMost(Duration.ofSeconds(1)));
        }
        assertEquals("still served", gate.run(() -> Uni.createFrom().item("still served")).await().atMost(Duration.ofSeconds(1)));
        assertEquals(0, gate.running());
    }

    @Test
    void aWaiterWhoseCallerTimedOutIsSkipped() {
        ConcurrencyGate gate = new ConcurrencyGate(1, 8);
        List<io.smallrye.mutiny.subscription.UniEmitter<? super String>> first = new ArrayList<>();
        gate.<String>run(() -> Uni.createFrom().emitter(first::add)).subscribe().with(ignored -> { });
        AtomicInteger started = new AtomicInteger();
        assertThrows(io.smallrye.mutiny.TimeoutException.class, () -> gate.run(() -> {
            started.incrementAndGet();
            return Uni.createFrom().item("late");
        }).await().atMost(Duration.ofMillis(50)));
        first.get(0).complete("done");
        assertEquals(0, started.get(), "a call nobody waits for was started");
        assertEquals(0, gate.running());
    }

    @Test
    void beyondTheQueueACallFailsAtOnce() {
        ConcurrencyGate gate = new ConcurrencyGate(1, 1);
        gate.run(() -> Uni.createFrom().<String>nothing()).subscribe().with(ignored -> { });
        gate.run(() -> Uni.createFrom().<String>nothing()).subscribe().with(ignored -> { });
        assertThrows(StoreUnavailableException.class, () -> gate.run(() -> Uni.createFrom().item("x"))
                .await().atMost(Duration.ofSeconds(1)));
    }
}
