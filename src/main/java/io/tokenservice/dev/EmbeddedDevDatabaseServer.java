package io.tokenservice.dev;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * The embedded PostgreSQL of dev mode, one per JVM. Dev mode reloads application classes on every change, so the
 * running server's port is kept in a system property rather than a static field.
 */
final class EmbeddedDevDatabaseServer {

    private static final Logger LOG = Logger.getLogger(EmbeddedDevDatabaseServer.class);
    private static final String PORT_PROPERTY = "tokenservice.dev.embedded-database.port";
    static final Path DATA_DIRECTORY = Path.of(".devdb");

    private EmbeddedDevDatabaseServer() {
    }

    static synchronized int start() {
        String running = System.getProperty(PORT_PROPERTY);
        if (running != null) {
            return Integer.parseInt(running);
        }
        try {
            Files.createDirectories(DATA_DIRECTORY);
            EmbeddedPostgres server = EmbeddedPostgres.builder()
                    .setDataDirectory(DATA_DIRECTORY.toAbsolutePath())
                    .setCleanDataDirectory(false)
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }, "embedded-dev-database-stop"));
            System.setProperty(PORT_PROPERTY, String.valueOf(server.getPort()));
            LOG.infof("Dev mode: embedded PostgreSQL on port %d, data in %s (delete it to start over; set DB_HOST to "
                    + "use another server)", server.getPort(), DATA_DIRECTORY.toAbsolutePath());
            return server.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded dev database in " + DATA_DIRECTORY, e);
        }
    }
}
