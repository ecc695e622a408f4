package io.tokenservice.client.secret;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenservice.config.TokenServiceConfig;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class VerifiedSecretsTest {

    private final VerifiedSecrets secrets = new VerifiedSecrets(config(100, Duration.ofHours(1)));

    /** Just the cache settings; nothing else is read. */
    static TokenServiceConfig config(long maxSize, Duration maxAge) {
        TokenServiceConfig.SecretCacheConfig secretCache = stub(TokenServiceConfig.SecretCacheConfig.class,
                "maxSize", maxSize, "maxAge", maxAge);
        TokenServiceConfig.Cache cache = stub(TokenServiceConfig.Cache.class, "secrets", secretCache);
        return stub(TokenServiceConfig.class, "cache", cache);
    }

    @SuppressWarnings("unchecked")
    private static <T> T stub(Class<T> type, Object... answers) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            for (int i = 0; i < answers.length; i += 2) {
                if (answers[i].equals(method.getName())) {
                    return answers[i + 1];
                }
            }
            throw new UnsupportedOperationException(method.getName());
        });
    }

    @Test
    void unknownUntilRemembered() {
        assertFalse(secrets.contains("client", "secret", "$hash-1"));
        secrets.remember("client", "secret", "$hash-1");
        assertTrue(secrets.contains("client", "secret", "$hash-1"));
    }

    @Test
    void anotherSecretIsNotAccepted() {
        secrets.remember("client", "secret", "$hash-1");
        assertFalse(secrets.contains("client", "secreT", "$hash-1"));
    }

    @Test
    void aRotatedHashIsNotAccepted() {
        secrets.remember("client", "secret", "$hash-1");
        assertFalse(secrets.contains("client", "secret", "$hash-2"));
    }

    @Test
    void anotherClientIsNotAccepted() {
        secrets.remember("client", "secret", "$hash-1");
        assertFalse(secrets.contains("other", "secret", "$hash-1"));
    }

    @Test
    void currentAndPreviousSecretAreRememberedTogether() {
        secrets.remember("client", "old", "$hash-1");
        secrets.remember("client", "new", "$hash-2");
        assertTrue(secrets.contains("client", "old", "$hash-1"));
        assertTrue(secrets.contains("client", "new", "$hash-2"));
        secrets.remember("client", "newest", "$hash-3");
        assertFalse(secrets.contains("client", "old", "$hash-1"));
    }

    @Test
    void entriesExpireAfterMaxAge() throws Exception {
        VerifiedSecrets shortLived = new VerifiedSecrets(config(100, Duration.ofMillis(50)));
        shortLived.remember("client", "secret", "$hash-1");
        Thread.sleep(150);
        assertFalse(shortLived.contains("client", "secret", "$hash-1"));
    }
}
