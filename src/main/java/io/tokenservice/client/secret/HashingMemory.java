package io.tokenservice.client.secret;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * The Argon2id memory all hashing lanes together may hold at once ({@code token-service.hashing.max-memory-kib}):
 * a hash takes its memory cost from the budget before it allocates and gives it back when done, waiting on its worker
 * thread while the others hold it. A hash that asks for more than the whole budget (an imported one) waits until it
 * runs alone. Without it, every lane's workers could each allocate the largest cost a stored hash may ask for at
 * once: over a gigabyte of heap in a pod sized in hundreds of megabytes.
 */
final class HashingMemory {

    /** The budget where none is configured never exceeds this (KiB): five hashes of today's cost, 7 MiB. */
    static final int MAX_DEFAULT_BUDGET_KIB = 40960;

    private final int budgetKib;
    private final Semaphore available;

    HashingMemory(int budgetKib) {
        if (budgetKib < 1) {
            throw new IllegalArgumentException("token-service.hashing.max-memory-kib must be positive");
        }
        this.budgetKib = budgetKib;
        this.available = new Semaphore(budgetKib, true);
    }

    /**
     * The budget where none is configured: a third of the heap the JVM may grow to, at most
     * {@link #MAX_DEFAULT_BUDGET_KIB}. The rest of the heap holds the live set (about 30 MB) and what requests
     * allocate; a fixed 40 MiB would not leave that in the 48 MiB heap of a 192 MiB container.
     */
    static int defaultBudgetKib(long maxHeapBytes) {
        return (int) Math.max(1, Math.min(MAX_DEFAULT_BUDGET_KIB, maxHeapBytes / 3 / 1024));
    }

    /** Runs {@code hash}, which holds {@code kib} of memory while it runs, within the budget. */
    <T> T within(int kib, Supplier<T> hash) {
        int permits = Math.min(kib, budgetKib);
        try {
            available.acquire(permits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HashingFailedException("Interrupted while waiting for hashing memory", e);
        }
        try {
            return hash.get();
        } finally {
            available.release(permits);
        }
    }

    /** KiB held by running hashes now. */
    int inUseKib() {
        return budgetKib - available.availablePermits();
    }

    int budgetKib() {
        return budgetKib;
    }
}
