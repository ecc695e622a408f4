package io.tokenservice.client.secret;

/**
 * A budget of CPU time for slow verifications, in cores (0: unlimited): a bucket that refills at that many
 * CPU-seconds per second, holds one second's worth, lets a verification start while it is not empty, and is
 * charged the CPU time the verification really took. So a flood of wrong secrets cannot take more of the
 * machine than the operator allows, whatever a hash costs on it; clients already in the caches never draw on it.
 */
final class VerificationBudget {

    private final double nanosPerNano;
    private final double capacity;
    private double available;
    private long lastRefill = System.nanoTime();

    VerificationBudget(double maxCores) {
        this.nanosPerNano = maxCores;
        this.capacity = maxCores * 1e9;
        this.available = capacity;
    }

    /** True when a verification may start now. */
    synchronized boolean tryAcquire() {
        if (nanosPerNano <= 0) {
            return true;
        }
        refill();
        return available > 0;
    }

    /** Charges what a verification cost, in CPU nanoseconds; the bucket may go into debt. */
    synchronized void charge(long cpuNanos) {
        if (nanosPerNano > 0) {
            refill();
            available -= cpuNanos;
        }
    }

    private void refill() {
        long now = System.nanoTime();
        available = Math.min(capacity, available + (now - lastRefill) * nanosPerNano);
        lastRefill = now;
    }
}
