package io.tokenservice.throttle;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Optional;

/**
 * Token buckets by key, each holding up to {@code capacity} and refilling at {@code capacity} per minute, in
 * bounded memory: at most {@code maxKeys} keys (the least recently used go first), and a bucket untouched for a
 * minute is full again, so it is dropped. Time comes from a Caffeine {@link Ticker}, so tests move it.
 */
public final class TokenBuckets {

    private static final long MINUTE_NANOS = Duration.ofMinutes(1).toNanos();

    private final Cache<String, Bucket> buckets;
    private final Ticker ticker;

    public TokenBuckets(long maxKeys, Ticker ticker) {
        this.ticker = ticker;
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfterAccess(Duration.ofMinutes(1))
                .ticker(ticker)
                .build();
    }

    /** Takes one from {@code key}'s bucket of this capacity; empty when taken, else how long until one refills. */
    public Optional<Duration> take(String key, int capacity) {
        return bucket(key, capacity).take(ticker.read());
    }

    /** Whether {@code key}'s bucket of this capacity is empty now; empty when not, else how long until it refills. */
    public Optional<Duration> emptyFor(String key, int capacity) {
        Bucket bucket = buckets.getIfPresent(key);
        return bucket == null ? Optional.empty() : bucket.emptyFor(ticker.read());
    }

    /** Gives back one token taken from {@code key}'s bucket (never beyond its capacity). */
    public void giveBack(String key) {
        Bucket bucket = buckets.getIfPresent(key);
        if (bucket != null) {
            bucket.giveBack();
        }
    }

    /** How many keys are held now, for tests and metrics. */
    public long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    private Bucket bucket(String key, int capacity) {
        return buckets.get(key, ignored -> new Bucket(capacity, ticker.read()));
    }

    private static final class Bucket {
        private final int capacity;
        private double tokens;
        private long refilledAt;

        Bucket(int capacity, long now) {
            this.capacity = capacity;
            this.tokens = capacity;
            this.refilledAt = now;
        }

        synchronized Optional<Duration> take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return Optional.empty();
            }
            return Optional.of(untilOne());
        }

        synchronized void giveBack() {
            tokens = Math.min(capacity, tokens + 1);
        }

        synchronized Optional<Duration> emptyFor(long now) {
            refill(now);
            return tokens >= 1 ? Optional.empty() : Optional.of(untilOne());
        }

        private void refill(long now) {
            tokens = Math.min(capacity, tokens + (double) (now - refilledAt) * capacity / MINUTE_NANOS);
            refilledAt = now;
        }

        private Duration untilOne() {
            return Duration.ofNanos((long) Math.ceil((1 - tokens) * MINUTE_NANOS / capacity));
        }
    }
}
