package io.tokenservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class StartupReadsTest {

    @Test
    void theReadsRunAtOnce() throws Throwable {
        // Each read waits for all three to have begun: run one after another, the first would time out.
        CyclicBarrier allBegun = new CyclicBarrier(3);
        Map<String, StartupReads.Read> reads = new LinkedHashMap<>();
        for (String name : new String[] {"keys", "revocations", "bootstrap"}) {
            reads.put(name, () -> allBegun.await(10, TimeUnit.SECONDS));
        }
        Map<String, Long> took = StartupReads.runAtOnce(reads);
        assertEquals(0, allBegun.getNumberWaiting());
        assertEquals(List.of("keys", "revocations", "bootstrap"), List.copyOf(took.keySet()));
    }

    @Test
    void theFirstFailureInOrderStopsTheStartOnceAllHaveEnded() {
        Exception keys = new IllegalStateException("keys");
        Exception bootstrap = new IllegalStateException("bootstrap");
        CountDownLatch bootstrapFailed = new CountDownLatch(1);
        AtomicBoolean slowEnded = new AtomicBoolean();
        Map<String, StartupReads.Read> reads = new LinkedHashMap<>();
        // The keys fail after the bootstrap has: the keys' failure, first in order, is the one reported.
        reads.put("keys", () -> {
            assertTrue(bootstrapFailed.await(10, TimeUnit.SECONDS), "the reads run at once");
            throw keys;
        });
        reads.put("slow", () -> {
            Thread.sleep(200);
            slowEnded.set(true);
        });
        reads.put("bootstrap", () -> {
            bootstrapFailed.countDown();
            throw bootstrap;
        });
        Throwable thrown = assertThrows(Throwable.class, () -> StartupReads.runAtOnce(reads));
        assertSame(keys, thrown);
        assertSame(bootstrap, thrown.getSuppressed()[0]);
        assertTrue(slowEnded.get(), "the start waits for every read before it fails");
    }

    @Test
    void oneExceptionThatTwoReadsThrowIsReportedOnce() {
        // Vert.x throws one shared instance for a closed connection: self-suppression would throw instead.
        Exception closed = new IllegalStateException("Connection was closed");
        Map<String, StartupReads.Read> reads = new LinkedHashMap<>();
        reads.put("revocations", () -> {
            throw closed;
        });
        reads.put("DPoP nonce secret", () -> {
            throw closed;
        });
        Throwable thrown = assertThrows(Throwable.class, () -> StartupReads.runAtOnce(reads));
        assertSame(closed, thrown);
        assertEquals(0, thrown.getSuppressed().length);
    }

    @Test
    void aCheckedThrowableComesThroughAsItself() {
        Throwable odd = new Throwable("neither an exception nor an error");
        Map<String, StartupReads.Read> reads = new LinkedHashMap<>();
        reads.put("odd", () -> {
            throw odd;
        });
        assertSame(odd, assertThrows(Throwable.class, () -> StartupReads.runAtOnce(reads)));
    }
}
