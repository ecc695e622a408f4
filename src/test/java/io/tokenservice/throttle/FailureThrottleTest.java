package io.tokenservice.throttle;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The failure budgets and quotas on a fake clock: who is refused, for how long, and in how much memory. */
class FailureThrottleTest {

    final AtomicLong nanos = new AtomicLong();
    final FailureThrottle throttle = new FailureThrottle(5, 3, 1_000, nanos::get);

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    /** A request that is admitted and fails, as a wrong guess does. */
    private void guess(String clientId, String source) {
        throttle.admit(clientId, source);
        throttle.failed(clientId, source, 1);
    }

    @Test
    void proofsAnAuthenticatedClientFailsAreChargedLikeGuesses() {
        for (int i = 0; i < 3; i++) {
            // Authenticated (the admission charge given back), then its DPoP proof refused.
            throttle.admit("client", "10.0.9.1");
            throttle.succeeded("10.0.9.1");
            throttle.failedProof("client", "10.0.9.1");
        }
        ThrottledException refused = assertThrows(ThrottledException.class, () -> throttle.admit("client", "10.0.9.1"));
        assertEquals(ThrottledException.Limit.CLIENT, refused.limit());
    }

    @Test
    void aSourcePastItsBudgetIsRefusedForEveryClientUntilItRefills() {
        for (int i = 0; i < 5; i++) {
            guess("client-" + i, "10.0.0.1");
        }
        ThrottledException refused = assertThrows(ThrottledException.class, () -> throttle.admit("another", "10.0.0.1"));
        // Five per minute: one more after twelve seconds.
        assertEquals(Duration.ofSeconds(12), refused.retryAfter());
        assertDoesNotThrow(() -> throttle.admit("another", "10.0.0.2"));
        advance(Duration.ofSeconds(12));
        assertDoesNotThrow(() -> throttle.admit("another", "10.0.0.1"));
    }

    @Test
    void aBurstSentAtOnceIsHeldToTheBudgetBeforeAnyOutcomeIsKnown() {
        for (int i = 0; i < 5; i++) {
            throttle.admit("random-" + i, "10.0.4.1");
        }
        assertThrows(ThrottledException.class, () -> throttle.admit("random-5", "10.0.4.1"));
    }

    @Test
    void successesGiveTheirChargeBack() {
        for (int i = 0; i < 50; i++) {
            throttle.admit("busy-client", "10.0.5.1");
            throttle.succeeded("10.0.5.1");
        }
        assertDoesNotThrow(() -> throttle.admit("busy-client", "10.0.5.1"));
    }

    @Test
    void bothReadingsOfABasicHeaderAreChargedAsGuesses() {
        throttle.admit("client", "10.0.6.1");
        throttle.failed("client", "10.0.6.1", 2);
        throttle.admit("client", "10.0.6.1");
        throttle.failed("client", "10.0.6.1", 2);
        assertDoesNotThrow(() -> throttle.admit("other", "10.0.6.1"));
        assertThrows(ThrottledException.class, () -> throttle.admit("other", "10.0.6.1"));
    }

    @Test
    void failingOnBehalfOfAClientDoesNotLockItOutFromOtherSources() {
        for (int source = 1; source <= 4; source++) {
            guess("victim", "10.0.1." + source);
        }
        // The client's budget (3) is spent: the sources that failed for it wait...
        assertThrows(ThrottledException.class, () -> throttle.admit("victim", "10.0.1.1"));
        // ...while one that never failed for it goes on to authenticate.
        assertDoesNotThrow(() -> throttle.admit("victim", "10.0.2.1"));
        assertDoesNotThrow(() -> throttle.admit("someone-else", "10.0.1.1"));
    }

    @Test
    void aSourceThatFailedIsSuspectForAMinute() {
        assertEquals(false, throttle.suspect("10.0.3.1"));
        throttle.admit("client", "10.0.3.1");
        assertEquals(false, throttle.suspect("10.0.3.1"), "admitted, not yet failed");
        throttle.failed("client", "10.0.3.1", 1);
        throttle.finished("10.0.3.1");
        assertEquals(true, throttle.suspect("10.0.3.1"));
        advance(Duration.ofSeconds(61));
        assertEquals(false, throttle.suspect("10.0.3.1"));
    }

    @Test
    void aBurstInFlightIsSuspectBeforeAnyOfItHasFailed() {
        throttle.admit("a", "10.0.7.1");
        throttle.admit("b", "10.0.7.1");
        assertEquals(false, throttle.suspect("10.0.7.1"));
        throttle.admit("c", "10.0.7.1");
        assertEquals(true, throttle.suspect("10.0.7.1"));
        throttle.finished("10.0.7.1");
        assertEquals(false, throttle.suspect("10.0.7.1"));
    }

    @Test
    void memoryIsBoundedWhateverTheNumberOfSources() {
        TokenBuckets buckets = new TokenBuckets(100, nanos::get);
        for (int i = 0; i < 10_000; i++) {
            buckets.take("10.1." + (i / 256) + "." + (i % 256), 5);
        }
        assertTrue(buckets.size() <= 100, buckets.size() + " buckets held");
    }

    @Test
    void aClientPastItsQuotaWaitsForItsBucketToRefill() {
        TokenQuota quota = new TokenQuota(0, 1_000, nanos::get);
        quota.take("client", 2);
        quota.take("client", 2);
        assertEquals(Duration.ofSeconds(30), assertThrows(ThrottledException.class, () -> quota.take("client", 2)).retryAfter());
        advance(Duration.ofSeconds(30));
        assertDoesNotThrow(() -> quota.take("client", 2));
        // No limit of its own and no default: no quota.
        for (int i = 0; i < 100; i++) {
            quota.take("unlimited", null);
        }
    }
}
