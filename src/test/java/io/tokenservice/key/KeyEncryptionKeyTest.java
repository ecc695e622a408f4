package io.tokenservice.key;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.LaunchMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyEncryptionKeyTest {

    static final String KEK = Base64.getEncoder().encodeToString(new byte[32]);
    static final byte[] SECRET = "a PKCS#8 private key".getBytes(StandardCharsets.US_ASCII);

    @Test
    void sealedKeyOpensForItsKid() {
        KeyEncryptionKey kek = KeyEncryptionKey.parse(KEK);
        assertArrayEquals(SECRET, kek.open(kek.seal(SECRET, "kid-1"), "kid-1"));
    }

    @Test
    void everySealUsesAFreshNonce() {
        KeyEncryptionKey kek = KeyEncryptionKey.parse(KEK);
        assertFalse(Arrays.equals(kek.seal(SECRET, "kid-1"), kek.seal(SECRET, "kid-1")));
    }

    @Test
    void sealedKeyDoesNotOpenForAnotherKid() {
        KeyEncryptionKey kek = KeyEncryptionKey.parse(KEK);
        byte[] sealed = kek.seal(SECRET, "kid-1");
        assertThrows(IllegalStateException.class, () -> kek.open(sealed, "kid-2"));
    }

    @Test
    void tamperedSealIsRefused() {
        KeyEncryptionKey kek = KeyEncryptionKey.parse(KEK);
        byte[] sealed = kek.seal(SECRET, "kid-1");
        sealed[sealed.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> kek.open(sealed, "kid-1"));
    }

    @Test
    void productionWithoutAKeyEncryptionKeyRefusesToStart() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> KeyEncryptionKey.resolve(Optional.empty(), LaunchMode.NORMAL));
        assertTrue(refused.getMessage().contains("TOKEN_SERVICE_KEY_ENCRYPTION_KEY"), refused.getMessage());
    }

    @Test
    void keyOfTheWrongLengthIsRefused() {
        String short16 = Base64.getEncoder().encodeToString(new byte[16]);
        assertThrows(IllegalStateException.class, () -> KeyEncryptionKey.resolve(Optional.of(short16), LaunchMode.NORMAL));
        assertThrows(IllegalStateException.class, () -> KeyEncryptionKey.resolve(Optional.of("not base64!"), LaunchMode.NORMAL));
    }
}
