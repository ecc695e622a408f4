package io.tokenservice.testing;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The packaged jar ({@code target/quarkus-app}) as operators run it, for integration tests: each launch gets a
 * database of its own on the tests' PostgreSQL (the embedded one, or the server {@code DB_HOST} names), free ports,
 * the run's key-encryption key, plain-text logs in {@code target/<log>}, and any environment the test adds.
 */
public final class PackagedJar {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** A launched process with its ports. */
    public record Launched(Process process, int port, int managementPort, Path log) {

        /** The public origin, {@code http://localhost:<port>}. */
        public String url() {
            return "http://localhost:" + port;
        }

        /** Waits until readiness is UP on the management port, failing with the log if the process dies first. */
        public void awaitReady(Duration limit) throws Exception {
            long deadline = System.nanoTime() + limit.toNanos();
            while (status("http://localhost:" + managementPort + "/q/health/ready") != 200) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("the packaged jar did not become ready: " + Files.readString(log));
                }
                Thread.sleep(100);
            }
        }

        /** SIGTERM, then waits for the exit. */
        public void stop() throws InterruptedException {
            process.destroy();
            process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private PackagedJar() {
    }

    public static String host() {
        return System.getenv().getOrDefault("DB_HOST", "localhost");
    }

    public static int port() {
        return System.getenv("DB_HOST") == null ? EmbeddedPostgresResource.port()
                : Integer.parseInt(System.getenv().getOrDefault("DB_PORT", "5432"));
    }

    public static String user() {
        return System.getenv().getOrDefault("DB_USER", "postgres");
    }

    public static String password() {
        return System.getenv().getOrDefault("DB_PASSWORD", "");
    }

    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    /** A new, empty database named {@code prefix_<random>}. */
    public static String newDatabase(String prefix) throws Exception {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "");
        execute("postgres", "CREATE DATABASE " + name);
        return name;
    }

    public static void execute(String database, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(database), user(), password());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The first column of the first row of {@code sql}. */
    public static long scalar(String database, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(database), user(), password());
                Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    public static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The status of a GET, or -1 when nothing answers. */
    public static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * Launches {@code java -jar quarkus-run.jar args...} on {@code database}. The environment's ports win over the
     * free ones chosen here, so a test may fix them.
     */
    public static Launched launch(String database, String log, Map<String, String> env, String... args) throws Exception {
        String[] command = new String[args.length + 3];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        command[1] = "-jar";
        command[2] = Path.of("target", "quarkus-app", "quarkus-run.jar").toString();
        System.arraycopy(args, 0, command, 3, args.length);
        Path logFile = Path.of("target", log);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
        Map<String, String> environment = new HashMap<>();
        environment.put("DB_HOST", host());
        environment.put("DB_PORT", String.valueOf(port()));
        environment.put("DB_NAME", database);
        environment.put("DB_USER", user());
        environment.put("DB_PASSWORD", password());
        environment.put("QUARKUS_HTTP_PORT", String.valueOf(freePort()));
        environment.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(freePort()));
        environment.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        environment.put("TOKEN_SERVICE_KEY_ENCRYPTION_KEY", EmbeddedPostgresResource.keyEncryptionKey());
        environment.putAll(env);
        builder.environment().putAll(environment);
        Process process = builder.start();
        return new Launched(process, Integer.parseInt(environment.get("QUARKUS_HTTP_PORT")),
                Integer.parseInt(environment.get("QUARKUS_MANAGEMENT_PORT")), logFile);
    }
}
