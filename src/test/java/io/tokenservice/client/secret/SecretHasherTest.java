package io.tokenservice.client.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hashing runs on its own bounded pool and hands the result back on the caller's Vert.x context. */
class SecretHasherTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void hashingRunsOffTheEventLoopAndResumesOnTheCallersContext() throws Exception {
        SecretHasher hasher = new SecretHasher(19456, 2, 1, 2, 16);
        Context context = vertx.getOrCreateContext();
        CompletableFuture<List<Object>> observed = new CompletableFuture<>();
        context.runOnContext(ignored -> {
            Thread eventLoop = Thread.currentThread();
            hasher.hash("a-secret-of-forty-characters-0123456789").subscribe().with(
                    hash -> observed.complete(List.of(eventLoop, Thread.currentThread(), Vertx.currentContext(), hash)),
                    observed::completeExceptionally);
        });
        List<Object> result = observed.get(10, TimeUnit.SECONDS);
        assertSame(result.get(0), result.get(1), "the result came back on another thread");
        assertSame(context, result.get(2));
        assertTrue(hasher.verifyNow("a-secret-of-forty-characters-0123456789", (String) result.get(3)));
    }

    @Test
    void verificationRunsOnTheHashingPool() throws Exception {
        SecretHasher hasher = new SecretHasher(19456, 2, 1, 1, 16);
        CompletableFuture<Thread> worker = new CompletableFuture<>();
        hasher.firstMatch(List.of(new SecretHasher.Check("secret", null)))
                .subscribe().with(match -> worker.complete(Thread.currentThread()), worker::completeExceptionally);
        Thread thread = worker.get(10, TimeUnit.SECONDS);
        assertTrue(thread.getName().startsWith("secret-hasher-"), thread.getName());
        assertNotSame(Thread.currentThread(), thread);
    }

    @Test
    void unknownClientNeverMatchesEvenWithTheDummysSecret() {
        SecretHasher hasher = new SecretHasher(19456, 2, 1, 1, 16);
        assertTrue(hasher.firstMatch(List.of(new SecretHasher.Check("anything", null))).await().indefinitely().isEmpty());
    }

    @Test
    void fullPoolAndQueueFailFastAsSaturated() throws Exception {
        SecretHasher hasher = new SecretHasher(19456, 2, 1, 1, 1);
        List<CompletableFuture<Object>> outcomes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            CompletableFuture<Object> outcome = new CompletableFuture<>();
            hasher.firstMatch(List.of(new SecretHasher.Check("secret-" + i, null))).subscribe()
                    .with(outcome::complete, outcome::complete);
            outcomes.add(outcome);
        }
        long rejected = 0;
        for (CompletableFuture<Object> outcome : outcomes) {
            Object result = outcome.get(30, TimeUnit.SECONDS);
            if (result instanceof HashingSaturatedException) {
                rejected++;
            }
        }
        assertTrue(rejected >= 5, "only " + rejected + " of 8 were refused by a pool of 1 with a queue of 1");
    }

    @Test
    void verificationsBeyondTheCpuBudgetFailFast() {
        // A thousandth of a core: one millisecond of CPU per second; one Argon2id verification spends it all.
        SecretHasher hasher = new SecretHasher(19456, 2, 1, 1, 16, 0.001, java.time.Duration.ofSeconds(30), Argon2idFormat.MAX_MEMORY_KIB);
        List<SecretHasher.Check> twoChecks = List.of(new SecretHasher.Check("a", null), new SecretHasher.Check("b", null));
        assertTrue(hasher.firstMatch(twoChecks).await().indefinitely().isEmpty());
        org.junit.jupiter.api.Assertions.assertThrows(HashingSaturatedException.class,
                () -> hasher.firstMatch(twoChecks).await().indefinitely());
    }

    // Issue 11, defects 4 and 8: whatever happens on the pool, the request is answered.

    @Test
    void anErrorOnThePoolStillAnswersTheRequest() {
        SecretHasher hasher = new SecretHasher(1024, 1, 1, 1, 16);
        org.junit.jupiter.api.Assertions.assertThrows(HashingFailedException.class, () -> hasher.offload(() -> {
            throw new OutOfMemoryError("a hash asked for more memory than there is");
        }).await().atMost(java.time.Duration.ofSeconds(5)));
    }

    @Test
    void aVerificationPastItsTimeLimitAnswersWithoutWaitingForIt() {
        SecretHasher hasher = new SecretHasher(1024, 1, 1, 1, 16, 0, java.time.Duration.ofMillis(100), Argon2idFormat.MAX_MEMORY_KIB);
        long started = System.nanoTime();
        org.junit.jupiter.api.Assertions.assertThrows(HashingFailedException.class, () -> hasher.offload(() -> {
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        }).await().atMost(java.time.Duration.ofSeconds(5)));
        assertTrue((System.nanoTime() - started) / 1_000_000 < 2_000, "the request waited for the slow verification");
    }

    @Test
    void shutdownAnswersEveryQueuedVerification() throws Exception {
        SecretHasher hasher = new SecretHasher(19456, 2, 1, 1, 16);
        List<CompletableFuture<Object>> outcomes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            CompletableFuture<Object> outcome = new CompletableFuture<>();
            hasher.hash("secret-" + i).subscribe().with(outcome::complete, outcome::complete);
            outcomes.add(outcome);
        }
        hasher.shutdown();
        for (CompletableFuture<Object> outcome : outcomes) {
            outcome.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFloodOnTheOtherLaneLeavesTheKnownAndAdminLanesFree() throws Exception {
        SecretHasher hasher = new SecretHasher(1024, 1, 1, 1, 1);
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        java.util.function.Supplier<Boolean> slow = () -> {
            running.countDown();
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        };
        // Fill the lane's one worker and then its one-place queue. The worker may still be finishing the dummy hash
        // (made on the pool at construction), so the queue is filled only once the first slow task runs.
        hasher.offload(SecretHasher.Lane.OTHER, slow).subscribe().with(ignored -> { }, ignored -> { });
        assertTrue(running.await(5, TimeUnit.SECONDS), "the first slow verification never ran");
        hasher.offload(SecretHasher.Lane.OTHER, slow).subscribe().with(ignored -> { }, ignored -> { });
        org.junit.jupiter.api.Assertions.assertThrows(HashingSaturatedException.class,
                () -> hasher.offload(SecretHasher.Lane.OTHER, slow).await().atMost(java.time.Duration.ofSeconds(5)));
        long started = System.nanoTime();
        assertTrue(hasher.offload(SecretHasher.Lane.KNOWN, () -> true).await().atMost(java.time.Duration.ofSeconds(5)));
        String hash = hasher.hash("an admin's new secret").await().atMost(java.time.Duration.ofSeconds(5));
        assertTrue(hash.startsWith("$argon2id$"));
        assertTrue((System.nanoTime() - started) / 1_000_000 < 1_500, "the other lanes waited for the flood");
    }

    @Test
    void anExhaustiveCheckComputesEveryPairEvenAfterAMatch() {
        java.util.concurrent.atomic.AtomicInteger verifications = new java.util.concurrent.atomic.AtomicInteger();
        SecretHasher hasher = new SecretHasher(1024, 1, 1, 1, 16) {
            @Override
            boolean verifyNow(String secret, String storedHash) {
                verifications.incrementAndGet();
                return super.verifyNow(secret, storedHash);
            }
        };
        String hash = hasher.hash("right").await().indefinitely();
        List<SecretHasher.Check> checks = List.of(new SecretHasher.Check("right", hash), new SecretHasher.Check("right", null));
        assertEquals(0, hasher.firstMatch(checks, SecretHasher.Lane.OTHER, false).await().indefinitely().getAsInt());
        assertEquals(1, verifications.getAndSet(0));
        assertEquals(0, hasher.firstMatch(checks, SecretHasher.Lane.OTHER, true).await().indefinitely().getAsInt());
        assertEquals(2, verifications.get());
    }
}
