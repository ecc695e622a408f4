package io.tokenservice.client.secret;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class VerifiedSecretsTest {

    private final AtomicLong nanos = new AtomicLong();
    private final VerifiedSecrets secrets = new VerifiedSecrets(100, Duration.ofHours(1), nanos::get);

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
    void entriesExpireAfterMaxAge() {
        secrets.remember("client", "secret", "$hash-1");
        nanos.addAndGet(Duration.ofMinutes(59).toNanos());
        assertTrue(secrets.contains("client", "secret", "$hash-1"));
        nanos.addAndGet(Duration.ofMinutes(1).plusNanos(1).toNanos());
        assertFalse(secrets.contains("client", "secret", "$hash-1"));
    }
}
