package io.tokenservice.client.secret;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.tokenservice.config.TokenServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers that a secret passed the slow hash, so the next request of the same client costs one HMAC and a
 * constant-time compare instead of an Argon2id verification. What is kept is HMAC-SHA256 of the presented
 * secret under a random key of this process, bound to the stored hash it matched: a rotation changes the stored
 * hash, and an expired grace window removes the previous one, so neither is honoured any longer. Never the
 * secret itself; a wrong secret never enters. Bounded in size ({@code token-service.cache.secrets.max-size}).
 *
 * <p>A verification stays trusted while the secret is in use, up to a hard bound of
 * {@code token-service.cache.secrets.max-age} after the slow hash last passed; one not used for max-age is
 * dropped. Past half the bound, {@link #recall} says so, and the caller re-verifies the presented secret in the
 * background, which renews the verification: a client in use never meets the slow hash on its request path.
 */
@ApplicationScoped
public class VerifiedSecrets {

    private record Verified(String storedHash, byte[] mac, long verifiedAtNanos) {
    }

    /** What is known of a presented secret. */
    public enum Recall {
        /** Never verified here, or past the hard bound: the slow hash must run. */
        UNKNOWN,
        /** Verified recently: trusted. */
        TRUSTED,
        /** Verified more than half the bound ago: trusted, and to be re-verified in the background. */
        TRUSTED_REVERIFY
    }

    private static final int MAX_SECRETS_PER_CLIENT = 2;

    // A keyed Mac per thread (the event loops): JCA lookup and key setup once, not on every warm request.
    private final ThreadLocal<Mac> hmac;
    private final Cache<String, List<Verified>> verified;
    private final Ticker ticker;
    private final long maxAgeNanos;

    @Inject
    VerifiedSecrets(TokenServiceConfig config, MeterRegistry registry) {
        this(config.cache().secrets().maxSize(), config.cache().secrets().maxAge(), Ticker.systemTicker());
        // cache_gets_total{cache="verified_secrets",result="hit"|"miss"}: a miss is a slow hash.
        CaffeineCacheMetrics.monitor(registry, verified, "verified_secrets");
    }

    /** Verified secrets outside the container (unit tests), on the given clock. */
    public VerifiedSecrets(long maxSize, Duration maxAge, Ticker ticker) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        SecretKeySpec key = new SecretKeySpec(random, "HmacSHA256");
        this.hmac = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
        this.ticker = ticker;
        this.maxAgeNanos = maxAge.toNanos();
        this.verified = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .expireAfterAccess(maxAge)
                .ticker(ticker)
                .recordStats()
                .build();
    }

    /** True when {@code secret} was verified against {@code storedHash} for this client, within the bound. */
    public boolean contains(String clientId, String secret, String storedHash) {
        return recall(clientId, secret, storedHash) != Recall.UNKNOWN;
    }

    /** What is known of {@code secret} against {@code storedHash} for this client. */
    public Recall recall(String clientId, String secret, String storedHash) {
        List<Verified> entries = verified.getIfPresent(clientId);
        if (entries == null || storedHash == null) {
            return Recall.UNKNOWN;
        }
        byte[] mac = mac(secret);
        long now = ticker.read();
        for (Verified entry : entries) {
            if (entry.storedHash.equals(storedHash) && MessageDigest.isEqual(entry.mac, mac)) {
                long age = now - entry.verifiedAtNanos;
                return age >= maxAgeNanos ? Recall.UNKNOWN : age > maxAgeNanos / 2 ? Recall.TRUSTED_REVERIFY : Recall.TRUSTED;
            }
        }
        return Recall.UNKNOWN;
    }

    /** Records a successful slow verification, now; call only after one. */
    public void remember(String clientId, String secret, String storedHash) {
        Verified entry = new Verified(storedHash, mac(secret), ticker.read());
        verified.asMap().compute(clientId, (id, entries) -> {
            List<Verified> next = new ArrayList<>(MAX_SECRETS_PER_CLIENT);
            next.add(entry);
            if (entries != null) {
                entries.stream().filter(e -> !e.storedHash.equals(storedHash))
                        .limit(MAX_SECRETS_PER_CLIENT - 1).forEach(next::add);
            }
            return List.copyOf(next);
        });
    }

    private byte[] mac(String secret) {
        // doFinal resets the Mac for its next use on this thread.
        return hmac.get().doFinal(secret.getBytes(StandardCharsets.UTF_8));
    }
}
