package io.tokenservice.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenservice.testing.PemFiles;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemKeyFilesTest {

    @TempDir
    Path directory;

    private static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    private SigningKey read(SigningAlgorithm algorithm, PrivateKey privateKey, PublicKey publicKey) {
        return PemKeyFiles.read(algorithm,
                PemFiles.write(directory, "private.pem", "PRIVATE KEY", privateKey),
                PemFiles.write(directory, "public.pem", "PUBLIC KEY", publicKey));
    }

    @Test
    void rsaKeyPairIsReadWithThumbprintKid() throws Exception {
        KeyPair pair = rsa(2048);
        SigningKey key = read(SigningAlgorithm.RS256, pair.getPrivate(), pair.getPublic());
        assertEquals(pair.getPublic(), key.publicKey());
        assertEquals(key.kid(), key.publicJwk().get("kid"));
        assertEquals(43, key.kid().length());
    }

    @Test
    void keysThatAreNotOnePairAreRefused() throws Exception {
        KeyPair one = rsa(2048);
        KeyPair other = rsa(2048);
        assertThrows(IllegalStateException.class,
                () -> read(SigningAlgorithm.RS256, one.getPrivate(), other.getPublic()));
    }

    @Test
    void rsaKeysUnder2048BitsAreRefused() throws Exception {
        KeyPair weak = rsa(1024);
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> read(SigningAlgorithm.RS256, weak.getPrivate(), weak.getPublic()));
        assertTrue(refused.getMessage().contains("2048"));
    }

    @Test
    void rsaKeyForEs256IsRefused() throws Exception {
        KeyPair pair = rsa(2048);
        assertThrows(IllegalStateException.class, () -> read(SigningAlgorithm.ES256, pair.getPrivate(), pair.getPublic()));
    }

    @Test
    void pkcs1PrivateKeyIsRefusedWithTheConversionCommand() throws Exception {
        KeyPair pair = rsa(2048);
        Path pkcs1 = PemFiles.write(directory, "rsa.pem", "RSA PRIVATE KEY", new byte[] {1, 2, 3});
        Path publicKey = PemFiles.write(directory, "public.pem", "PUBLIC KEY", pair.getPublic());
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> PemKeyFiles.read(SigningAlgorithm.RS256, pkcs1, publicKey));
        assertTrue(refused.getMessage().contains("openssl pkcs8 -topk8"), refused.getMessage());
        assertFalse(refused.getMessage().contains("AQID"));
    }

    @Test
    void missingFileIsNamedInTheError() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> PemKeyFiles.read(
                SigningAlgorithm.RS256, directory.resolve("absent.pem"), directory.resolve("absent-too.pem")));
        assertTrue(refused.getMessage().contains("absent.pem"));
    }

    @Test
    void publicJwkCarriesNoPrivateMembers() throws Exception {
        KeyPair pair = rsa(2048);
        Map<String, Object> jwk = read(SigningAlgorithm.RS256, pair.getPrivate(), pair.getPublic()).publicJwk();
        assertEquals(java.util.Set.of("kty", "use", "alg", "kid", "n", "e"), jwk.keySet());
    }

    @Test
    void ed25519KeyPairIsReadAsAnOkpKey() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        SigningKey key = read(SigningAlgorithm.EdDSA, pair.getPrivate(), pair.getPublic());
        assertEquals(java.util.Set.of("kty", "use", "alg", "kid", "crv", "x"), key.publicJwk().keySet());
        assertEquals("EdDSA", key.publicJwk().get("alg"));
        assertEquals("Ed25519", key.publicJwk().get("crv"));
    }

    @Test
    void rsaKeyPairServesPs256() throws Exception {
        KeyPair pair = rsa(2048);
        assertEquals("PS256", read(SigningAlgorithm.PS256, pair.getPrivate(), pair.getPublic()).publicJwk().get("alg"));
    }

    @Test
    void rsaKeyForEdDsaIsRefused() throws Exception {
        KeyPair pair = rsa(2048);
        assertThrows(IllegalStateException.class, () -> read(SigningAlgorithm.EdDSA, pair.getPrivate(), pair.getPublic()));
    }
}
