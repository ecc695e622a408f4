package io.tokenservice.client.secret;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
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
 * secret itself; a wrong secret never enters. Bounded in size ({@code token-service.cache.secrets.max-size}) and
 * age ({@code token-service.cache.secrets.max-age}).
 */
@ApplicationScoped
public class VerifiedSecrets {

    private record Verified(String storedHash, byte[] mac) {
    }

    private static final int MAX_SECRETS_PER_CLIENT = 2;

    // A keyed Mac per thread (the event loops): JCA lookup and key setup once, not on every warm request.
    private final ThreadLocal<Mac> hmac;
    private final Cache<String, List<Verified>> verified;

    @Inject
    VerifiedSecrets(TokenServiceConfig config) {
        this(config.cache().secrets().maxSize(), config.cache().secrets().maxAge(), Ticker.systemTicker());
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
        this.verified = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .expireAfterWrite(maxAge)
                .ticker(ticker)
                .build();
    }

    /** True when {@code secret} was verified against {@code storedHash} for this client before. */
    public boolean contains(String clientId, String secret, String storedHash) {
        List<Verified> entries = verified.getIfPresent(clientId);
        if (entries == null || storedHash == null) {
            return false;
        }
        byte[] mac = mac(secret);
        for (Verified entry : entries) {
            if (entry.storedHash.equals(storedHash) && MessageDigest.isEqual(entry.mac, mac)) {
                return true;
            }
        }
        return false;
    }

    /** Records a successful slow verification; call only after one. */
    public void remember(String clientId, String secret, String storedHash) {
        Verified entry = new Verified(storedHash, mac(secret));
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
