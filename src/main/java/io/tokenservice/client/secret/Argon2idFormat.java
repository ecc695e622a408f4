package io.tokenservice.client.secret;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id (RFC 9106) in the PHC string format: {@code $argon2id$v=19$m=<KiB>,t=<iterations>,p=<lanes>$<salt>$<hash>}.
 * New hashes use a 16-byte random salt and a 32-byte output (RFC 9106 §4).
 */
final class Argon2idFormat implements SecretHashFormat {

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,4}),p=(\\d{1,3})\\$([A-Za-z0-9+/.]+)\\$([A-Za-z0-9+/.]+)");
    // The most a hash may ask for, imported or stored: beyond, one wrong secret would take a worker for seconds
    // or the heap for hundreds of MiB. Such a hash is refused at import and never verifies.
    static final int MAX_MEMORY_KIB = 256 * 1024;
    static final int MAX_ITERATIONS = 10;
    private static final int MAX_PARALLELISM = 16;

    private final SecureRandom random = new SecureRandom();
    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    private final HashingMemory memory;

    Argon2idFormat(int memoryKib, int iterations, int parallelism, HashingMemory memory) {
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.memory = memory;
    }

    String hash(byte[] secret) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        byte[] hash = memory.within(memoryKib, () -> derive(secret, salt, memoryKib, iterations, parallelism, 32));
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism
                + "$" + PhcBase64.encode(salt) + "$" + PhcBase64.encode(hash);
    }

    @Override
    public boolean recognizes(String hash) {
        return hash.startsWith("$argon2id$");
    }

    @Override
    public boolean isWellFormed(String hash) {
        return parse(hash) != null;
    }

    @Override
    public boolean verify(byte[] secret, String hash) {
        Parsed parsed = parse(hash);
        if (parsed == null) {
            return false;
        }
        byte[] actual = memory.within(parsed.memoryKib, () -> derive(secret, parsed.salt, parsed.memoryKib,
                parsed.iterations, parsed.parallelism, parsed.hash.length));
        return MessageDigest.isEqual(actual, parsed.hash);
    }

    /** Whether {@code hash} is one of ours at another cost than new hashes get now: it is made again when used. */
    boolean isOutdated(String hash) {
        Parsed parsed = parse(hash);
        return parsed == null || parsed.memoryKib != memoryKib || parsed.iterations != iterations
                || parsed.parallelism != parallelism;
    }

    private record Parsed(int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {
    }

    private static Parsed parse(String hash) {
        Matcher phc = PHC.matcher(hash);
        if (!phc.matches()) {
            return null;
        }
        int memory = Integer.parseInt(phc.group(1));
        int iterations = Integer.parseInt(phc.group(2));
        int parallelism = Integer.parseInt(phc.group(3));
        byte[] salt = PhcBase64.decode(phc.group(4));
        byte[] output = PhcBase64.decode(phc.group(5));
        // RFC 9106 §3.1: m >= 8p KiB, t >= 1, salt >= 8 bytes, tag >= 4 bytes.
        if (salt == null || output == null || salt.length < 8 || output.length < 4
                || parallelism < 1 || parallelism > MAX_PARALLELISM || iterations < 1 || iterations > MAX_ITERATIONS
                || memory < 8 * parallelism || memory > MAX_MEMORY_KIB) {
            return null;
        }
        return new Parsed(memory, iterations, parallelism, salt, output);
    }

    private static byte[] derive(byte[] secret, byte[] salt, int memoryKib, int iterations, int parallelism,
            int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(secret, out);
        return out;
    }
}
