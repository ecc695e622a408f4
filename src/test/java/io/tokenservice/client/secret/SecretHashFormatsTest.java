package io.tokenservice.client.secret;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hash formats against vectors made by implementations nobody here wrote: the argon2 reference CLI,
 * Apache htpasswd and glibc crypt (bcrypt), Python's hashlib (PBKDF2).
 */
class SecretHashFormatsTest {

    static final String SECRET = "imported-client-secret-0123456789";
    // echo -n "$SECRET" | argon2 somesaltsomesalt -id -t 2 -k 19456 -p 1 -l 32 -e
    static final String ARGON2ID = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$7D/lGouIU9JvzX1+8D7cpQrBS5Eoa1r6hSEeJCWp/XU";
    // htpasswd -bnBC 10 "" "$SECRET"
    static final String BCRYPT_2Y = "$2y$10$lcIGP1eOG7SSdBEv3wBnE.It79NJK93mA7JzaIA./.zGfxULa38vm";
    // python3 crypt.crypt(SECRET, crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1024))
    static final String BCRYPT_2B = "$2b$10$16p8B0lqvt742OV3ocMKJuboa/k/y6vX6yxgOsC0GfcgJ1NGSPP1i";
    // hashlib.pbkdf2_hmac('sha256', SECRET, bytes(range(16)), 25000, 32), Ory's PHC spelling
    static final String PBKDF2_ORY = "$pbkdf2-sha256$i=25000,l=32$AAECAwQFBgcICQoLDA0ODw$JdTx/UAo23T5qZ1xttlR+hv4cbnkhoMNwz0gXYUY+cg";
    // the same at 29000 iterations in passlib's spelling (adapted base64, '.' for '+')
    static final String PBKDF2_PASSLIB = "$pbkdf2-sha256$29000$AAECAwQFBgcICQoLDA0ODw$N8WMECixjioZhhm8h3o2ELobaEBkiN5HF0.4nY8D/IM";

    private final Argon2idFormat argon2id = new Argon2idFormat(19456, 2, 1, new HashingMemory(Argon2idFormat.MAX_MEMORY_KIB));
    private final Pbkdf2Sha256Format pbkdf2 = new Pbkdf2Sha256Format();
    private final BcryptFormat bcrypt = new BcryptFormat();

    private static byte[] bytes(String secret) {
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void argon2idReferenceHashVerifies() {
        assertTrue(argon2id.verify(bytes(SECRET), ARGON2ID));
        assertFalse(argon2id.verify(bytes(SECRET + "x"), ARGON2ID));
    }

    @Test
    void newArgon2idHashUsesTheConfiguredCostAndVerifies() {
        String hash = argon2id.hash(bytes(SECRET));
        assertTrue(hash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), hash);
        assertTrue(argon2id.verify(bytes(SECRET), hash));
        assertFalse(argon2id.verify(bytes("wrong"), hash));
    }

    @Test
    void twoHashesOfOneSecretDifferBySalt() {
        assertFalse(argon2id.hash(bytes(SECRET)).equals(argon2id.hash(bytes(SECRET))));
    }

    @Test
    void bcryptHashesFromHtpasswdAndGlibcVerify() {
        assertTrue(bcrypt.verify(bytes(SECRET), BCRYPT_2Y));
        assertTrue(bcrypt.verify(bytes(SECRET), BCRYPT_2B));
        assertFalse(bcrypt.verify(bytes("wrong"), BCRYPT_2B));
    }

    @Test
    void pbkdf2HashesInOryAndPasslibSpellingVerify() {
        assertTrue(pbkdf2.verify(bytes(SECRET), PBKDF2_ORY));
        assertTrue(pbkdf2.verify(bytes(SECRET), PBKDF2_PASSLIB));
        assertFalse(pbkdf2.verify(bytes("wrong"), PBKDF2_ORY));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA",
        "$argon2id$v=16$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$7D/lGouIU9JvzX1+8D7cpQrBS5Eoa1r6hSEeJCWp/XU",
        "$argon2id$v=19$m=99999999,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$7D/lGouIU9JvzX1+8D7cpQrBS5Eoa1r6hSEeJCWp/XU",
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$7D/lGouIU9JvzX1+8D7cpQrBS5Eoa1r6hSEeJCWp/XU",
    })
    void malformedArgon2idHashesNeverVerify(String hash) {
        assertFalse(argon2id.isWellFormed(hash));
        assertFalse(argon2id.verify(bytes(SECRET), hash));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "$pbkdf2-sha256$i=10,l=32$AAECAwQFBgcICQoLDA0ODw$JdTx/UAo23T5qZ1xttlR+hv4cbnkhoMNwz0gXYUY+cg",
        "$pbkdf2-sha256$i=25000,l=16$AAECAwQFBgcICQoLDA0ODw$JdTx/UAo23T5qZ1xttlR+hv4cbnkhoMNwz0gXYUY+cg",
        "$pbkdf2-sha256$i=25000$AAECAwQFBgcICQoLDA0ODw",
        "$2y$10$tooshort",
        "$2y$99$lcIGP1eOG7SSdBEv3wBnE.It79NJK93mA7JzaIA./.zGfxULa38vm",
    })
    void malformedImportedHashesNeverVerify(String hash) {
        SecretHashFormat format = hash.startsWith("$2") ? bcrypt : pbkdf2;
        assertFalse(format.isWellFormed(hash));
        assertFalse(format.verify(bytes(SECRET), hash));
    }
}
