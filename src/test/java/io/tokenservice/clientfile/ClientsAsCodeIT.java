package io.tokenservice.clientfile;

import static io.tokenservice.testing.PackagedJar.launch;
import static io.tokenservice.testing.PackagedJar.newDatabase;
import static io.tokenservice.testing.PackagedJar.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenservice.testing.PackagedJar;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Clients as code with the packaged jar as operators run it: two replicas on one database read the clients file
 * (a mounted ConfigMap, replaced the way the kubelet replaces it), apply it once between them at start and follow its
 * changes within 10 s at the default check interval; a bad file is never applied; a replica whose copy lags does not
 * undo what another applied; {@code plan} prints the changes and changes nothing, and lists every error of a bad file.
 */
class ClientsAsCodeIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ORDERS_SECRET = "orders-secret-0123456789-abcdefghijkl";
    private static final String BILLING_SECRET = "billing-secret-0123456789-abcdefghij";

    /** A PBKDF2-SHA256 PHC string of {@code secret}, as an operator's tooling would put in a Secret. */
    private static String pbkdf2(String secret) throws Exception {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(secret.toCharArray(), salt, 10_000, 256)).getEncoded();
        Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
        return "$pbkdf2-sha256$i=10000,l=32$" + base64.encodeToString(salt) + "$" + base64.encodeToString(hash);
    }

    /** Replaces {@code file} in one step, as the kubelet swaps a ConfigMap's files. */
    private static void replace(Path file, String content) throws Exception {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, content);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String clients(Path billingHash, String billingScope, boolean withOrders) {
        return """
                clients:
                  - client_id: billing
                    scope: %s
                    client_secret_hash_file: %s
                """.formatted(billingScope, billingHash) + (withOrders ? """
                  - client_id: orders
                    token_endpoint_auth_method: client_secret_post
                    scope: orders.read
                    client_secret_hash_env: ORDERS_SECRET_HASH
                  - client_id: workload
                    token_endpoint_auth_method: private_key_jwt
                    jwks_uri: https://workload.example.com/jwks.json
                """ : "");
    }

    /** The status of a client_secret_basic token request for {@code scope} at {@code replica}. */
    private static int token(PackagedJar.Launched replica, String clientId, String secret, String scope) throws Exception {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(URI.create(replica.url() + "/oauth2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + scope)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static long audited(String database, String action) throws Exception {
        return scalar(database, "SELECT count(*) FROM token_service.admin_audit WHERE actor = 'config' AND action = '"
                + action + "'");
    }

    /** A migrated database of its own, and a directory holding billing's hash file as a mounted Secret would. */
    private record Setup(String database, Path directory, Path billingHash) {
        static Setup migrated() throws Exception {
            String database = newDatabase("clients_file");
            migrate(database);
            Path directory = Files.createTempDirectory("clients-file");
            Path billingHash = directory.resolve("billing-hash");
            Files.writeString(billingHash, pbkdf2(BILLING_SECRET) + "\n");
            return new Setup(database, directory, billingHash);
        }
    }

    /** What a command's run printed, and its exit code. */
    private record Ran(int exitCode, String output) {
    }

    private static Ran run(String database, String log, Map<String, String> env, String... args) throws Exception {
        PackagedJar.Launched command = launch(database, log, env, args);
        assertTrue(command.process().waitFor(90, TimeUnit.SECONDS), String.join(" ", args) + " did not exit");
        return new Ran(command.process().exitValue(), Files.readString(command.log()));
    }

    private static void migrate(String database) throws Exception {
        Ran migrate = run(database, "clients-file-migrate.log", Map.of(), "migrate");
        assertEquals(0, migrate.exitCode(), migrate.output());
    }

    private static Map<String, String> replicaEnvironment(Path file, String orders) {
        Map<String, String> env = new HashMap<>();
        env.put("TOKEN_SERVICE_DATABASE_MIGRATE_AT_START", "false");
        env.put("TOKEN_SERVICE_CLIENTS_FILE", file.toString());
        env.put("ORDERS_SECRET_HASH", orders);
        return env;
    }

    private static void awaitLog(PackagedJar.Launched replica, String text, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!Files.readString(replica.log()).contains(text)) {
            assertTrue(System.nanoTime() < deadline, "'" + text + "' not logged: " + Files.readString(replica.log()));
            Thread.sleep(100);
        }
    }

    @Test
    void twoReplicasApplyTheFileOnceAndFollowItsChangesWithinTenSeconds() throws Exception {
        Setup setup = Setup.migrated();
        String database = setup.database();
        Path directory = setup.directory();
        Path billingHash = setup.billingHash();
        Path file = directory.resolve("clients.yaml");
        replace(file, clients(billingHash, "invoices.read invoices.write", true));
        Map<String, String> env = replicaEnvironment(file, pbkdf2(ORDERS_SECRET));

        PackagedJar.Launched a = launch(database, "clients-file-a.log", env);
        PackagedJar.Launched b = launch(database, "clients-file-b.log", env);
        try {
            a.awaitReady(Duration.ofSeconds(90));
            b.awaitReady(Duration.ofSeconds(90));
            // Started together, they applied it once between them.
            assertEquals(3, audited(database, "client.registered"));
            for (PackagedJar.Launched replica : List.of(a, b)) {
                assertEquals(200, token(replica, "billing", BILLING_SECRET, "invoices.write"));
            }

            replace(file, clients(billingHash, "invoices.read", false));
            long changed = System.nanoTime();
            for (PackagedJar.Launched replica : List.of(a, b)) {
                while (token(replica, "billing", BILLING_SECRET, "invoices.write") != 403) {
                    assertTrue(System.nanoTime() - changed < Duration.ofSeconds(10).toNanos(),
                            "the change did not reach " + replica.url() + " within 10 s");
                    Thread.sleep(100);
                }
            }
            System.out.printf("The file's change reached both replicas in %d ms%n",
                    Duration.ofNanos(System.nanoTime() - changed).toMillis());
            assertEquals(1, audited(database, "client.updated"));
            assertEquals(2, audited(database, "client.deleted"));
            assertEquals(0, scalar(database, "SELECT count(*) FROM token_service.client WHERE client_id = 'orders'"));

            // A bad file: each replica logs its errors and applies none of it, not even its valid part.
            replace(file, clients(billingHash, "invoices.read invoices.write", true)
                    + "  - client_id: broken\n    client_secret: a-plaintext-secret-0123456789-abcdef\n");
            for (PackagedJar.Launched replica : List.of(a, b)) {
                awaitLog(replica, "is invalid and is not applied", Duration.ofSeconds(15));
                awaitLog(replica, "clients[3] (broken): client_secret: a plaintext secret never goes in the file",
                        Duration.ofSeconds(1));
            }
            assertEquals(3, audited(database, "client.registered"));
            assertEquals(403, token(a, "billing", BILLING_SECRET, "invoices.write"));
            assertTrue(!Files.readString(a.log()).contains("a-plaintext-secret"), "the secret was logged");

            // Fixed: applied.
            replace(file, clients(billingHash, "invoices.read invoices.write", false));
            long fixed = System.nanoTime();
            while (token(b, "billing", BILLING_SECRET, "invoices.write") != 200) {
                assertTrue(System.nanoTime() - fixed < Duration.ofSeconds(10).toNanos(), "the fixed file was not applied");
                Thread.sleep(100);
            }
        } finally {
            a.stop();
            b.stop();
        }
    }

    @Test
    void aReplicaWhoseCopyLagsDoesNotUndoWhatAnotherApplied() throws Exception {
        Setup setup = Setup.migrated();
        String database = setup.database();
        Path directory = setup.directory();
        Path billingHash = setup.billingHash();
        String orders = pbkdf2(ORDERS_SECRET);
        // The ConfigMap as two nodes' kubelets hold it: the same at first, then one node's copy lags.
        Path copyA = directory.resolve("a.yaml");
        Path copyB = directory.resolve("b.yaml");
        replace(copyA, clients(billingHash, "invoices.read invoices.write", true));
        replace(copyB, clients(billingHash, "invoices.read invoices.write", true));
        Map<String, String> envA = replicaEnvironment(copyA, orders);
        Map<String, String> envB = replicaEnvironment(copyB, orders);
        envA.put("TOKEN_SERVICE_CLIENTS_FILE_CHECK_INTERVAL", "1s");
        envB.put("TOKEN_SERVICE_CLIENTS_FILE_CHECK_INTERVAL", "1s");

        PackagedJar.Launched a = launch(database, "clients-file-lag-a.log", envA);
        a.awaitReady(Duration.ofSeconds(90));
        PackagedJar.Launched b = launch(database, "clients-file-lag-b.log", envB);
        try {
            b.awaitReady(Duration.ofSeconds(90));
            replace(copyA, clients(billingHash, "invoices.read", true));
            awaitLog(a, "applied (generation 2)", Duration.ofSeconds(10));

            // B's copy is still the old one for a while: B does not put it back.
            Thread.sleep(3_000);
            assertEquals(403, token(b, "billing", BILLING_SECRET, "invoices.write"));
            replace(copyB, clients(billingHash, "invoices.read", true));
            Thread.sleep(3_000);

            assertEquals(1, audited(database, "client.updated"));
            assertEquals(2, scalar(database, "SELECT generation FROM token_service.client_file_state"));
            assertEquals(403, token(b, "billing", BILLING_SECRET, "invoices.write"));
        } finally {
            a.stop();
            b.stop();
        }
    }

    @Test
    void planPrintsWhatWouldChangeAndChangesNothing() throws Exception {
        Setup setup = Setup.migrated();
        String database = setup.database();
        Path directory = setup.directory();
        Path billingHash = setup.billingHash();
        Path file = directory.resolve("clients.yaml");
        replace(file, clients(billingHash, "invoices.read", true));
        Map<String, String> env = replicaEnvironment(file, pbkdf2(ORDERS_SECRET));

        Ran plan = run(database, "clients-file-plan.log", env, "plan");
        String output = plan.output();
        assertEquals(0, plan.exitCode(), output);
        assertTrue(output.contains("+ create billing") && output.contains("+ create orders")
                && output.contains("+ create workload")
                && output.contains("Plan: 3 to create, 0 to change, 0 to adopt, 0 to remove."), output);
        assertEquals(0, scalar(database, "SELECT count(*) FROM token_service.client"));
        assertEquals(0, scalar(database, "SELECT count(*) FROM token_service.signing_key"));
        assertEquals(0, scalar(database, "SELECT generation FROM token_service.client_file_state"));

        replace(file, clients(billingHash, "invoices.read", true) + """
                  - client_id: broken
                    client_secret: a-plaintext-secret-0123456789-abcdef
                  - client_id: billing
                    scope: "no\\u0001good"
                """);
        Map<String, String> withoutOrders = new HashMap<>(env);
        withoutOrders.remove("ORDERS_SECRET_HASH");
        Ran invalid = run(database, "clients-file-plan-invalid.log", withoutOrders, "plan");
        String errors = invalid.output();
        assertEquals(1, invalid.exitCode(), errors);
        for (String error : List.of("(4 error(s))",
                "clients[1] (orders): client_secret_hash_env: environment variable ORDERS_SECRET_HASH is not set",
                "clients[3] (broken): client_secret: a plaintext secret never goes in the file",
                "clients[4] (billing): client_id is declared twice",
                "clients[4] (billing): scope tokens must be RFC 6749 section 3.3 characters")) {
            assertTrue(errors.contains(error), error + " not in: " + errors);
        }

        // Without the database: exit 3, nothing compared.
        replace(file, clients(billingHash, "invoices.read", true));
        Map<String, String> unreachable = new HashMap<>(env);
        unreachable.put("DB_HOST", "database.invalid");
        Ran away = run(database, "clients-file-plan-away.log", unreachable, "plan");
        assertEquals(3, away.exitCode(), away.output());

        // Offline, where the repository's CI has neither the database nor the Secrets: the file alone.
        Map<String, String> offline = new HashMap<>(withoutOrders);
        offline.put("DB_HOST", "database.invalid");
        Ran check = run(database, "clients-file-plan-offline.log", offline, "plan", "--offline");
        String checked = check.output();
        assertEquals(0, check.exitCode(), checked);
        assertTrue(checked.contains("is valid: 3 client(s)"), checked);
    }
}
