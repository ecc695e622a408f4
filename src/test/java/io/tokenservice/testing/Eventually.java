package io.tokenservice.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.IntSupplier;

/** Polls a status until it is the expected one, for at most 5 s (a change notification takes milliseconds). */
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
}
