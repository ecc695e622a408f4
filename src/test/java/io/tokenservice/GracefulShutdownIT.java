package io.tokenservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.testing.PackagedJar;
import io.tokenservice.testing.TestClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * SIGTERM on the packaged jar, as Kubernetes sends it: readiness turns DOWN at once while the public port keeps
 * serving for the shutdown delay; requests in flight when the delay ends, and the verifications queued for them,
 * finish; then the process exits. Production hashing costs, so that the queue is real.
 */
class GracefulShutdownIT {

    private static final Duration DELAY = Duration.ofSeconds(1);
    private static final int FIRST_TIME_CLIENTS = 60;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();



    /** A token request from the workload at {@code address}, as a load balancer forwards it. */
    private CompletableFuture<Integer> token(String base, TestClients.Registered client, String address) {
        String basic = Base64.getEncoder().encodeToString((client.clientId() + ":" + client.secret()).getBytes());
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                .header("Authorization", "Basic " + basic)
                .header("X-Forwarded-For", address)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode)
                .exceptionally(failure -> -1);
    }

    @Test
    void sigtermDrainsThenExits() throws Exception {
        String database = PackagedJar.newDatabase("shutdown");
        PackagedJar.Launched launched = PackagedJar.launch(database, "graceful-shutdown.log", Map.of(
                "QUARKUS_SHUTDOWN_DELAY", DELAY.toMillis() + "ms",
                // One hashing worker: the burst outlasts the delay on any machine, however many cores it has.
                "TOKEN_SERVICE_HASHING_WORKERS", "1",
                // Behind a load balancer: each workload is its own source, not one burst from one address.
                "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "true",
                "QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED", "true",
                "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES", "127.0.0.1"));
        Process replica = launched.process();
        String base = launched.url();
        String ready = "http://localhost:" + launched.managementPort() + "/q/health/ready";
        try {
            launched.awaitReady(Duration.ofSeconds(90));
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(PackagedJar.jdbcUrl(database));
            dataSource.setUser(PackagedJar.user());
            dataSource.setPassword(PackagedJar.password());
            // The replica's own production cost (Argon2id m=19 MiB, t=2), so each first verification is slow.
            TestClients clients = new TestClients(dataSource, new SecretHasher(19456, 2, 1, 2, 256));
            List<TestClients.Registered> registered = new ArrayList<>();
            for (int i = 0; i < FIRST_TIME_CLIENTS; i++) {
                registered.add(clients.client().register());
            }
            var warm = clients.client().register();
            assertEquals(200, token(base, warm, "10.1.1.1").get(30, TimeUnit.SECONDS));

            long signalled = System.nanoTime();
            replica.destroy(); // SIGTERM
            // Readiness says DOWN at once, while tokens are still served on the public port.
            long readinessDown = -1;
            while (readinessDown < 0 && System.nanoTime() - signalled < DELAY.toNanos()) {
                if (PackagedJar.status(ready) == 503) {
                    readinessDown = (System.nanoTime() - signalled) / 1_000_000;
                }
            }
            assertTrue(readinessDown >= 0 && readinessDown < DELAY.toMillis(), "readiness not DOWN within the delay");
            // A burst of first-time clients inside the delay: more verifications than the pool finishes before the
            // delay ends. Every one is answered 200, the last ones after the delay.
            List<CompletableFuture<Integer>> burst = new ArrayList<>();
            for (int i = 0; i < registered.size(); i++) {
                burst.add(token(base, registered.get(i), "10.1.0." + (i + 1)));
            }
            List<Long> answeredAfterMillis = new ArrayList<>();
            for (CompletableFuture<Integer> response : burst) {
                assertEquals(200, response.get(30, TimeUnit.SECONDS));
                answeredAfterMillis.add((System.nanoTime() - signalled) / 1_000_000);
            }
            long last = answeredAfterMillis.stream().mapToLong(Long::longValue).max().orElseThrow();
            assertTrue(last > DELAY.toMillis(), "all answered within the delay (" + last + " ms): the drain was not tested");
            assertTrue(replica.waitFor(30, TimeUnit.SECONDS), "the replica did not exit");
            String log = Files.readString(launched.log());
            assertTrue(log.contains("stopped in"), log);
            System.out.printf("graceful shutdown: readiness DOWN after %d ms, last of %d first-time tokens answered "
                    + "%d ms after SIGTERM (delay %d ms), exit code %d%n", readinessDown, FIRST_TIME_CLIENTS, last,
                    DELAY.toMillis(), replica.exitValue());
        } finally {
            replica.destroyForcibly();
        }
    }
}
