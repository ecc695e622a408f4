package io.tokenservice.throttle;

import com.github.benmanes.caffeine.cache.Ticker;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.tokenservice.config.TokenServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Per-client token quotas (Auth0's machine-to-machine quotas, without their price): a client's own
 * {@code token_rate_limit}, else {@code token-service.quota.tokens-per-minute} (0: none), counted per replica.
 */
@ApplicationScoped
public class TokenQuota {

    private final TokenBuckets buckets;
    private final int defaultPerMinute;

    @Inject
    TokenQuota(TokenServiceConfig config) {
        this(config.quota().tokensPerMinute(), config.throttle().maxTracked(), Ticker.systemTicker());
    }

    TokenQuota(int defaultPerMinute, long maxTracked, Ticker ticker) {
        this.defaultPerMinute = defaultPerMinute;
        this.buckets = new TokenBuckets(maxTracked, ticker);
    }

    /**
     * Counts one token for {@code clientId}, whose own limit is {@code perMinute} (null: the default).
     *
     * @throws ThrottledException once the quota is spent
     */
    @WithSpan("token.quota")
    public void take(String clientId, Integer perMinute) {
        int limit = perMinute != null ? perMinute : defaultPerMinute;
        if (limit <= 0) {
            return;
        }
        // Keyed by the limit too: a changed limit starts a bucket of its own size.
        buckets.take(clientId + "/" + limit, limit).ifPresent(wait -> {
            throw new ThrottledException(ThrottledException.Limit.TOKEN_QUOTA, "The client's token quota is spent", wait);
        });
    }
}
