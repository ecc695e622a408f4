package io.tokenservice.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenservice.testing.EmbeddedPostgresResource;
import java.io.File;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar as the Kubernetes migration Job and replicas run it: {@code migrate} migrates and exits 0 without
 * serving; a replica that does not migrate refuses an older schema with a message saying so, and serves on the
 * current one. Each test has a database of its own on the tests' PostgreSQL.
 */
class MigrationJobIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private static String host() {
        return System.getenv().getOrDefault("DB_HOST", "localhost");
    }

    private static int port() {
        return System.getenv("DB_HOST") == null ? EmbeddedPostgresResource.port()
                : Integer.parseInt(System.getenv().getOrDefault("DB_PORT", "5432"));
    }

    private static String user() {
        return System.getenv().getOrDefault("DB_USER", "postgres");
    }

    private static String password() {
        return System.getenv().getOrDefault("DB_PASSWORD", "");
    }

    private static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    private static String newDatabase() throws Exception {
        String name = "migration_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), user(), password());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return name;
    }

    private static long scalar(String database, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(database), user(), password());
                Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void execute(String database, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(database), user(), password());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Process launch(String database, String log, Map<String, String> env, String... args) throws Exception {
        String[] command = new String[args.length + 3];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        command[1] = "-jar";
        command[2] = JAR.toString();
        System.arraycopy(args, 0, command, 3, args.length);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(new File("target/" + log));
        builder.environment().put("DB_HOST", host());
        builder.environment().put("DB_PORT", String.valueOf(port()));
        builder.environment().put("DB_NAME", database);
        builder.environment().put("DB_USER", user());
        builder.environment().put("DB_PASSWORD", password());
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(freePort()));
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", String.valueOf(freePort()));
        builder.environment().put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        builder.environment().putAll(env);
        return builder.start();
    }

    @Test
    void migrateMigratesAnEmptyDatabaseAndExitsZeroWithoutServing() throws Exception {
        String database = newDatabase();
        Process migrate = launch(database, "migrate-job.log", Map.of(), "migrate");
        assertTrue(migrate.waitFor(90, TimeUnit.SECONDS), "migrate did not exit");
        String log = Files.readString(Path.of("target/migrate-job.log"));
        assertEquals(0, migrate.exitValue(), log);
        assertEquals(SchemaCheck.REQUIRED_VERSION, scalar(database,
                "SELECT max(CAST(version AS integer)) FROM token_service.flyway_schema_history WHERE success"));
        // Nothing past initialisation ran: no signing key was generated, no port opened.
        assertEquals(0, scalar(database, "SELECT count(*) FROM token_service.signing_key"));
        assertFalse(log.contains("Listening on"), log);
    }

    @Test
    void aReplicaThatDoesNotMigrateRefusesAnOlderSchemaAndSaysSo() throws Exception {
        String database = newDatabase();
        // The previous release's schema, as Flyway's history tells it: migrated, less the last migration.
        Process previous = launch(database, "migrate-previous.log", Map.of(), "migrate");
        assertTrue(previous.waitFor(90, TimeUnit.SECONDS));
        assertEquals(0, previous.exitValue());
        execute(database, "DELETE FROM token_service.flyway_schema_history WHERE version = '"
                + SchemaCheck.REQUIRED_VERSION + "'");
        Process replica = launch(database, "replica-old-schema.log", Map.of(
                "TOKEN_SERVICE_DATABASE_MIGRATE_AT_START", "false",
                "TOKEN_SERVICE_KEY_ENCRYPTION_KEY", EmbeddedPostgresResource.keyEncryptionKey()));
        assertTrue(replica.waitFor(90, TimeUnit.SECONDS), "the replica did not stop");
        String log = Files.readString(Path.of("target/replica-old-schema.log"));
        assertNotEquals(0, replica.exitValue(), log);
        assertTrue(log.contains("The database schema is at version " + (SchemaCheck.REQUIRED_VERSION - 1)
                + ", behind the version " + SchemaCheck.REQUIRED_VERSION + " this build needs"), log);
        // It refused before touching anything: the schema is as it was, and no signing key was generated (the
        // keys are read, and the first one made, by a startup step that runs after the check).
        assertEquals(SchemaCheck.REQUIRED_VERSION - 1, scalar(database,
                "SELECT max(CAST(version AS integer)) FROM token_service.flyway_schema_history WHERE success"));
        assertEquals(0, scalar(database, "SELECT count(*) FROM token_service.signing_key"));
    }

    @Test
    void aReplicaThatDoesNotMigrateServesOnTheMigratedSchema() throws Exception {
        String database = newDatabase();
        Process migrate = launch(database, "migrate-then-serve.log", Map.of(), "migrate");
        assertTrue(migrate.waitFor(90, TimeUnit.SECONDS));
        assertEquals(0, migrate.exitValue());
        int management = freePort();
        Process replica = launch(database, "replica-current-schema.log", Map.of(
                "TOKEN_SERVICE_DATABASE_MIGRATE_AT_START", "false",
                "QUARKUS_MANAGEMENT_PORT", String.valueOf(management),
                "TOKEN_SERVICE_KEY_ENCRYPTION_KEY", EmbeddedPostgresResource.keyEncryptionKey()));
        try {
            long deadline = System.currentTimeMillis() + 90_000;
            int status = -1;
            while (status != 200 && replica.isAlive() && System.currentTimeMillis() < deadline) {
                status = status("http://localhost:" + management + "/q/health/ready");
                Thread.sleep(200);
            }
            assertEquals(200, status, Files.readString(Path.of("target/replica-current-schema.log")));
        } finally {
            replica.destroy();
            replica.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static int status(String url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(2000);
            return connection.getResponseCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
