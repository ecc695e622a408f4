package io.tokenservice.client.secret;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * bcrypt hashes ({@code $2a$}, {@code $2b$}, {@code $2y$}) imported from other servers, verify only; the
 * default hasher of Ory Hydra and of Spring Security's DelegatingPasswordEncoder.
 */
final class BcryptFormat implements SecretHashFormat {

    // Costs 4 to 14: each step doubles the work, and cost 15 and up would take a worker for seconds per guess.
    private static final Pattern MODULAR_CRYPT = Pattern.compile("\\$2[aby]\\$(0[4-9]|1[0-4])\\$[./A-Za-z0-9]{53}");
    // bcrypt reads at most 72 bytes of the secret (Provos and Mazieres, 1999).
    private static final int MAX_SECRET_BYTES = 72;

    @Override
    public boolean recognizes(String hash) {
        return hash.startsWith("$2");
    }

    @Override
    public boolean isWellFormed(String hash) {
        return MODULAR_CRYPT.matcher(hash).matches();
    }

    @Override
    public boolean verify(byte[] secret, String hash) {
        if (!isWellFormed(hash) || secret.length > MAX_SECRET_BYTES) {
            return false;
        }
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(secret));
        char[] password = new char[chars.remaining()];
        chars.get(password);
        try {
            return OpenBSDBCrypt.checkPassword(hash, password);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
