package io.tokenservice.throttle;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.tokenservice.config.TokenServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;

/**
 * Budgets failed client authentications (RFC 6749 §2.3.1: the token endpoint MUST protect against brute force),
 * per source address and per client id, in bounded memory. A request is refused before any lookup or slow hash
 * when its source has spent its budget, or when its client has and this source is one of those that failed for
 * it: a right secret from a source that has not failed for the client keeps working, so nobody can lock a client
 * out by failing on its behalf.
 */
@ApplicationScoped
public class FailureThrottle {

    private final TokenBuckets bySource;
    private final TokenBuckets byClient;
    // (client, source) pairs that failed within the last minute: the sources a spent client budget holds back.
    private final Cache<String, Boolean> failedPairs;
    private final int perSource;
    private final int perClient;

    @Inject
    FailureThrottle(TokenServiceConfig config) {
        this(config.throttle().failuresPerSourcePerMinute(), config.throttle().failuresPerClientPerMinute(),
                config.throttle().maxTracked(), Ticker.systemTicker());
    }

    FailureThrottle(int perSource, int perClient, long maxTracked, Ticker ticker) {
        this.perSource = perSource;
        this.perClient = perClient;
        this.bySource = new TokenBuckets(maxTracked, ticker);
        this.byClient = new TokenBuckets(maxTracked, ticker);
        this.failedPairs = Caffeine.newBuilder().maximumSize(maxTracked).expireAfterWrite(Duration.ofMinutes(1))
                .ticker(ticker).build();
    }

    /**
     * Refuses a request from {@code source} presenting {@code clientId} while a budget it draws on is spent.
     *
     * @throws ThrottledException with the time until the budget refills
     */
    public void check(String clientId, String source) {
        Optional<Duration> wait = bySource.emptyFor(source, perSource);
        if (wait.isEmpty() && failedPairs.getIfPresent(pair(clientId, source)) != null) {
            // This source failed for the client: it waits for the client's budget as well.
            wait = byClient.emptyFor(clientId, perClient);
        }
        if (wait.isPresent()) {
            throw new ThrottledException("Too many failed client authentications", wait.get());
        }
    }

    /** A guess failed (unknown client or wrong secret): it is charged to the source and to the client. */
    public void failed(String clientId, String source) {
        bySource.take(source, perSource);
        byClient.take(clientId, perClient);
        failedPairs.put(pair(clientId, source), Boolean.TRUE);
    }

    private static String pair(String clientId, String source) {
        return clientId + '\u0000' + source;
    }
}
