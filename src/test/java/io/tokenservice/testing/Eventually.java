package io.tokenservice.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.IntSupplier;

/** Polls until something holds: a status for at most 5 s (a change notification takes milliseconds), or assertions. */
public final class Eventually {

    private Eventually() {
    }

    public static void status(int expected, IntSupplier status) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5_000;
        int last;
        while ((last = status.getAsInt()) != expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(expected, last);
    }

    /** Assertions that may throw, retried every 100 ms until they pass or {@code limit} has passed. */
    public interface Check {
        void run() throws Exception;
    }

    /** Runs {@code check} until it passes; past {@code limit}, its last failure is the test's. */
    public static void within(java.time.Duration limit, Check check) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError | Exception e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
