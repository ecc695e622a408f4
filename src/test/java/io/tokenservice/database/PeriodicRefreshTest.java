package io.tokenservice.database;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 11, defect 7: a refresh that never answers must not freeze every refresh after it. */
class PeriodicRefreshTest {

    final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aRunThatNeverAnswersIsAbandonedAtItsTimeoutAndTheNextRunTakesPlace() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        PeriodicRefresh refresh = PeriodicRefresh.every(vertx, Duration.ofMillis(50), Duration.ofMillis(200), "a test",
                () -> {
                    runs.incrementAndGet();
                    // A black-holed connection: no answer, ever.
                    return Uni.createFrom().nothing();
                });
        Thread.sleep(1_000);
        refresh.stop();
        assertTrue(runs.get() >= 3, "only " + runs.get() + " run(s) in a second with a 200 ms timeout");
    }

    @Test
    void aRunStillGoingWhenTheNextIsDueIsNotDoubledUp() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        PeriodicRefresh refresh = PeriodicRefresh.every(vertx, Duration.ofMillis(20), Duration.ofSeconds(10), "a test",
                () -> Uni.createFrom().voidItem().invoke(() -> most.accumulateAndGet(running.incrementAndGet(), Math::max))
                        .onItem().delayIt().by(Duration.ofMillis(100)).invoke(running::decrementAndGet));
        Thread.sleep(500);
        refresh.stop();
        assertTrue(most.get() == 1, most.get() + " runs at once");
    }
}
