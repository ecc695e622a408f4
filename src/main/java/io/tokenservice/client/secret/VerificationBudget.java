package io.tokenservice.client.secret;

/**
 * A token bucket of slow verifications per second (zero: unlimited), so a flood of wrong secrets cannot take
 * more of the CPU than the operator allows; clients already in the caches never draw on it. Holds one second
 * of burst.
 */
final class VerificationBudget {

    private final double perSecond;
    private double available;
    private long lastRefill = System.nanoTime();

    VerificationBudget(int perSecond) {
        this.perSecond = perSecond;
        this.available = perSecond;
    }

    synchronized boolean tryAcquire(int verifications) {
        if (perSecond <= 0) {
            return true;
        }
        long now = System.nanoTime();
        available = Math.min(perSecond, available + (now - lastRefill) / 1e9 * perSecond);
        lastRefill = now;
        if (available < verifications) {
            return false;
        }
        available -= verifications;
        return true;
    }
}
