package io.tokenservice.client.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The Argon2id memory all lanes together hold is bounded; a hash larger than the whole budget still runs, alone. */
class HashingMemoryTest {

    @Test
    void theDefaultBudgetIsAThirdOfTheHeapAndAtMostFortyMebibytes() {
        long mib = 1024 * 1024;
        // The image's heap in a 192 MiB container (a quarter of the limit): two hashes of 7 MiB at once.
        assertEquals(16384, HashingMemory.defaultBudgetKib(48 * mib));
        assertEquals(32768, HashingMemory.defaultBudgetKib(96 * mib));
        assertEquals(40960, HashingMemory.defaultBudgetKib(1024 * mib));
        assertEquals(1, HashingMemory.defaultBudgetKib(0));
    }

    @Test
    void hashesTogetherNeverHoldMoreThanTheBudget() throws Exception {
        HashingMemory memory = new HashingMemory(25);
        AtomicInteger held = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        // Each hash leaves only once another is inside with it: two at a time must fit, a third must not.
        CyclicBarrier pairs = new CyclicBarrier(2);
        ExecutorService lanes = Executors.newFixedThreadPool(8);
        List<Future<Integer>> hashes = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            hashes.add(lanes.submit(() -> memory.within(10, () -> {
                most.accumulateAndGet(held.addAndGet(10), Math::max);
                await(pairs);
                held.addAndGet(-10);
                return 1;
            })));
        }
        for (Future<Integer> hash : hashes) {
            assertEquals(1, hash.get(10, TimeUnit.SECONDS));
        }
        lanes.shutdown();

        assertEquals(20, most.get(), "two hashes of 10 fit in 25, never three");
        assertEquals(0, memory.inUseKib());
    }

    @Test
    void aHashLargerThanTheBudgetRunsAlone() throws Exception {
        HashingMemory memory = new HashingMemory(25);
        AtomicInteger others = new AtomicInteger();
        AtomicInteger seenBesideTheLargeOne = new AtomicInteger();
        ExecutorService lanes = Executors.newFixedThreadPool(4);
        List<Future<Integer>> hashes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            hashes.add(lanes.submit(() -> memory.within(10, () -> {
                others.incrementAndGet();
                sleep(20);
                others.decrementAndGet();
                return 1;
            })));
        }
        hashes.add(lanes.submit(() -> memory.within(100, () -> {
            seenBesideTheLargeOne.set(others.get());
            sleep(20);
            return 1;
        })));
        for (Future<Integer> hash : hashes) {
            assertEquals(1, hash.get(10, TimeUnit.SECONDS));
        }
        lanes.shutdown();

        assertEquals(0, seenBesideTheLargeOne.get());
    }

    @Test
    void anArgon2idVerificationWaitsForItsMemory() throws Exception {
        HashingMemory memory = new HashingMemory(2048);
        Argon2idFormat argon2id = new Argon2idFormat(1024, 1, 1, memory);
        String hash = argon2id.hash("secret".getBytes(StandardCharsets.UTF_8));
        CountDownLatch holding = new CountDownLatch(1);
        AtomicLong released = new AtomicLong();
        Thread other = new Thread(() -> memory.within(2048, () -> {
            holding.countDown();
            sleep(300);
            released.set(System.nanoTime());
            return 0;
        }));
        other.start();
        holding.await();

        boolean verified = argon2id.verify("secret".getBytes(StandardCharsets.UTF_8), hash);
        long done = System.nanoTime();

        assertTrue(verified);
        assertTrue(released.get() > 0 && done > released.get(), "the verification ran while the budget was held");
        other.join();
        assertEquals(0, memory.inUseKib());
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
