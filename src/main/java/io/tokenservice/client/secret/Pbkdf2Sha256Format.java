package io.tokenservice.client.secret;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * PBKDF2-HMAC-SHA256 (RFC 8018 §5.2) hashes imported from other servers, verify only. Two spellings are read:
 * Ory's {@code $pbkdf2-sha256$i=<iterations>,l=<length>$<salt>$<hash>} and passlib's
 * {@code $pbkdf2-sha256$<iterations>$<salt>$<hash>}.
 */
final class Pbkdf2Sha256Format implements SecretHashFormat {

    private static final Pattern PHC = Pattern.compile(
            "\\$pbkdf2-sha256\\$(?:i=)?(\\d{1,8})(?:,l=(\\d{1,3}))?\\$([A-Za-z0-9+/.]+)\\$([A-Za-z0-9+/.]+)");
    private static final int MIN_ITERATIONS = 1_000;
    // The most a hash may ask for, imported or stored; beyond, it is refused at import and never verifies.
    static final int MAX_ITERATIONS = 1_000_000;
    static final int MAX_DERIVED_KEY_BYTES = 64;

    @Override
    public boolean recognizes(String hash) {
        return hash.startsWith("$pbkdf2-sha256$");
    }

    @Override
    public boolean isWellFormed(String hash) {
        return parse(hash) != null;
    }

    @Override
    public boolean verify(byte[] secret, String hash) {
        Parsed parsed = parse(hash);
        return parsed != null
                && MessageDigest.isEqual(pbkdf2(secret, parsed.salt, parsed.iterations, parsed.hash.length), parsed.hash);
    }

    private record Parsed(int iterations, byte[] salt, byte[] hash) {
    }

    private static Parsed parse(String hash) {
        Matcher phc = PHC.matcher(hash);
        if (!phc.matches()) {
            return null;
        }
        int iterations = Integer.parseInt(phc.group(1));
        byte[] salt = PhcBase64.decode(phc.group(3));
        byte[] output = PhcBase64.decode(phc.group(4));
        if (salt == null || output == null || salt.length < 8 || output.length < 16 || output.length > MAX_DERIVED_KEY_BYTES
                || iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS
                || (phc.group(2) != null && Integer.parseInt(phc.group(2)) != output.length)) {
            return null;
        }
        return new Parsed(iterations, salt, output);
    }

    /** RFC 8018 §5.2 with HMAC-SHA256 over raw secret bytes (the JCA variant takes chars, not bytes). */
    private static byte[] pbkdf2(byte[] secret, byte[] salt, int iterations, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            // An empty key is legal for PBKDF2 but not for SecretKeySpec; secrets are never empty here.
            mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, "HmacSHA256"));
            int blockLength = mac.getMacLength();
            byte[] derived = new byte[length];
            for (int block = 1, offset = 0; offset < length; block++, offset += blockLength) {
                mac.update(salt);
                mac.update(new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
                byte[] u = mac.doFinal();
                byte[] t = u.clone();
                for (int i = 1; i < iterations; i++) {
                    u = mac.doFinal(u);
                    for (int j = 0; j < t.length; j++) {
                        t[j] ^= u[j];
                    }
                }
                System.arraycopy(t, 0, derived, offset, Math.min(blockLength, length - offset));
            }
            return derived;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
