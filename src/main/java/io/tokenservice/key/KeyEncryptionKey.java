package io.tokenservice.key;

import io.quarkus.runtime.LaunchMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * The key-encryption key that seals signing keys at rest: AES-256-GCM (NIST SP 800-38D) with a random 96-bit
 * nonce per seal and the key's {@code kid} as associated data, so a sealed key cannot be moved to another row.
 * Sealed form: nonce (12 octets) followed by ciphertext and tag (16 octets).
 */
final class KeyEncryptionKey {

    static final String ENVIRONMENT = "TOKEN_SERVICE_KEY_ENCRYPTION_KEY";
    /** Where dev mode keeps the key it generates, beside the embedded dev database. */
    static final Path DEV_FILE = Path.of(".devdb", "key-encryption-key");

    private static final Logger LOG = Logger.getLogger(KeyEncryptionKey.class);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;
    private final String id;

    private KeyEncryptionKey(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
        this.id = idOf(key);
    }

    /**
     * What the signing_key table records of the key that sealed a row: the first 96 bits of SHA-256 over a label
     * and the key, base64url. It names the key without revealing it.
     */
    String id() {
        return id;
    }

    private static String idOf(byte[] key) {
        try {
            java.security.MessageDigest sha256 = java.security.MessageDigest.getInstance("SHA-256");
            sha256.update("token-service key-encryption-key id".getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(sha256.digest(key), 12));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    /**
     * The configured key (base64 of 32 octets). Without one, dev mode keeps a generated key in {@link #DEV_FILE}
     * and test mode generates one per process; production refuses, rather than store signing keys in the clear.
     */
    static KeyEncryptionKey resolve(Optional<String> configured, LaunchMode mode) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            return parse(configured.get().trim());
        }
        return switch (mode) {
            case DEVELOPMENT -> devKey();
            case TEST -> new KeyEncryptionKey(random());
            default -> throw new IllegalStateException(ENVIRONMENT + " is not set. Signing keys are stored in the "
                    + "database encrypted under it: set it to a base64-encoded 256-bit key (openssl rand -base64 32) "
                    + "from a secret, or configure token-service.keys.private-key-file and public-key-file instead.");
        };
    }

    static KeyEncryptionKey parse(String base64) {
        return parse(base64, ENVIRONMENT);
    }

    /** A key in base64; {@code name} says where it came from in the error, never the key. */
    static KeyEncryptionKey parse(String base64, String name) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(name + " is not valid base64");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException(name + " must be 32 octets (256 bits) in base64, not " + bytes.length);
        }
        return new KeyEncryptionKey(bytes);
    }

    byte[] seal(byte[] plaintext, String kid) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, kid);
            byte[] sealed = Arrays.copyOf(nonce, NONCE_BYTES + cipher.getOutputSize(plaintext.length));
            cipher.doFinal(plaintext, 0, plaintext.length, sealed, NONCE_BYTES);
            return sealed;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /** The plaintext; throws {@link IllegalStateException} when this key did not seal it for this kid. */
    byte[] open(byte[] sealed, String kid) {
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(sealed, NONCE_BYTES), kid);
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (GeneralSecurityException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalStateException("signing key " + kid + " does not decrypt under " + ENVIRONMENT
                    + ": it was stored under another key-encryption key");
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String kid) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private static KeyEncryptionKey devKey() {
        try {
            if (Files.exists(DEV_FILE)) {
                LOG.warnf("Dev mode: signing keys are encrypted under the generated key in %s (set %s in production)",
                        DEV_FILE, ENVIRONMENT);
                return parse(Files.readString(DEV_FILE, StandardCharsets.US_ASCII).trim());
            }
            Files.createDirectories(DEV_FILE.getParent());
            String generated = Base64.getEncoder().encodeToString(random());
            Files.writeString(DEV_FILE, generated, StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(DEV_FILE, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system; the file stays with the default permissions
            }
            LOG.warnf("Dev mode: generated a key-encryption key for signing keys in %s (set %s in production)",
                    DEV_FILE, ENVIRONMENT);
            return parse(generated);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the dev key-encryption key in " + DEV_FILE, e);
        }
    }

    private static byte[] random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
