package io.tokenservice.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The signing lane: results and failures come back, the queue is bounded, and 0 threads signs in place. */
class SigningLaneTest {

    @Test
    void aSignatureIsMadeOnTheLaneAndItsResultOrFailureComesBack() {
        SigningLane lane = new SigningLane(2, 4);
        try {
            assertTrue(lane.sign(() -> Thread.currentThread().getName()).await().atMost(Duration.ofSeconds(5))
                    .startsWith("token-signing-"));
            IllegalStateException failure = assertThrows(IllegalStateException.class, () -> lane.sign(() -> {
                throw new IllegalStateException("no key");
            }).await().atMost(Duration.ofSeconds(5)));
            assertEquals("no key", failure.getMessage());
        } finally {
            lane.shutdown();
        }
    }

    @Test
    void beyondTheQueueARequestIsRefusedNotQueued() throws Exception {
        SigningLane lane = new SigningLane(1, 1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            Uni<String> busy = occupy(lane, release);
            Uni<String> queued = lane.sign(() -> "second").memoize().indefinitely();
            queued.subscribe().with(ignored -> { });
            assertEquals(1, lane.queued());
            assertThrows(SigningSaturatedException.class, () -> lane.sign(() -> "third").await().atMost(Duration.ofSeconds(5)));
            release.countDown();
            assertEquals("first", busy.await().atMost(Duration.ofSeconds(5)));
            assertEquals("second", queued.await().atMost(Duration.ofSeconds(5)));
        } finally {
            release.countDown();
            lane.shutdown();
        }
    }

    @Test
    void aSignatureGivenUpLeavesTheQueue() throws Exception {
        SigningLane lane = new SigningLane(1, 4);
        CountDownLatch release = new CountDownLatch(1);
        try {
            occupy(lane, release);
            var abandoned = lane.sign(() -> "never").subscribe().with(ignored -> { });
            assertEquals(1, lane.queued());
            abandoned.cancel();
            assertEquals(0, lane.queued());
        } finally {
            release.countDown();
            lane.shutdown();
        }
    }

    @Test
    void noThreadsSignsInPlace() {
        SigningLane lane = new SigningLane(0, 1);
        assertEquals(Thread.currentThread().getName(), lane.sign(() -> Thread.currentThread().getName()).await().indefinitely());
        assertThrows(IllegalArgumentException.class, () -> new SigningLane(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> new SigningLane(1, 0));
    }

    /** The lane's only thread, busy until {@code release}: "first" once released. */
    private static Uni<String> occupy(SigningLane lane, CountDownLatch release) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        Uni<String> busy = lane.sign(() -> {
            running.countDown();
            await(release);
            return "first";
        }).memoize().indefinitely();
        busy.subscribe().with(ignored -> { });
        assertTrue(running.await(5, TimeUnit.SECONDS));
        return busy;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
