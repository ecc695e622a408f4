package io.tokenservice.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenservice.testing.Eventually;
import io.tokenservice.testing.PackagedJar;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus (Debian's, as CI installs it) scrapes the packaged jar's management port with the example
 * alert rules loaded: the target is up, the service's series arrive with their values, and every rule evaluates
 * without error against them.
 */
class PrometheusScrapeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();


    private HttpResponse<String> get(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            return null;
        }
    }

    private JsonNode query(String prometheus, String promql) throws Exception {
        HttpResponse<String> response = get(prometheus + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        return response == null ? JSON.createObjectNode() : JSON.readTree(response.body()).path("data").path("result");
    }

    @Test
    void prometheusScrapesTheManagementPortAndEvaluatesTheAlertRules() throws Exception {
        // CI installs Debian's prometheus (.ci/run), so there the test always runs; elsewhere it needs it too.
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/prometheus")) || "true".equals(System.getenv("CI")),
                "Debian's prometheus is not installed");
        String database = PackagedJar.newDatabase("scrape");
        String adminSecret = "scrape-admin-" + UUID.randomUUID();
        int management = PackagedJar.freePort();
        Map<String, String> service = Map.of("QUARKUS_MANAGEMENT_PORT", String.valueOf(management),
                "QUARKUS_SHUTDOWN_DELAY", "0s",
                "TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_ID", "scrape-admin",
                "TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_SECRET", adminSecret);

        Path workdir = Files.createTempDirectory(Path.of("target"), "prometheus-");
        int prometheusPort = PackagedJar.freePort();
        Path rules = Path.of("deploy", "prometheus", "token-service-alerts.yml").toAbsolutePath();
        Files.writeString(workdir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: token-service
                    metrics_path: /q/metrics
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(rules, management));
        ProcessBuilder prometheus = new ProcessBuilder("prometheus", "--config.file=" + workdir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + workdir.resolve("data"), "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true).redirectOutput(workdir.resolve("prometheus.log").toFile());

        PackagedJar.Launched app = PackagedJar.launch(database, "prometheus-scrape-service.log", service);
        int port = app.port();
        Process scraper = null;
        try {
            app.awaitReady(Duration.ofSeconds(90));
            String basic = Base64.getEncoder().encodeToString(("scrape-admin:" + adminSecret).getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/oauth2/token"))
                    .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, token.statusCode());

            scraper = prometheus.start();
            String api = "http://127.0.0.1:" + prometheusPort;
            JsonNode issued = JSON.createArrayNode();
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                issued = query(api, "token_service_tokens_issued_total{job=\"token-service\"}");
                if (issued.size() > 0) {
                    break;
                }
                assertTrue(scraper.isAlive(), "prometheus exited: " + Files.readString(workdir.resolve("prometheus.log")));
                Thread.sleep(500);
            }
            assertEquals(1, issued.size(), "no token_service_tokens_issued_total scraped");
            assertEquals("RS256", issued.get(0).path("metric").path("algorithm").asText());
            assertEquals(1.0, issued.get(0).path("value").get(1).asDouble());
            assertEquals(1.0, query(api, "up{job=\"token-service\"}").get(0).path("value").get(1).asDouble());
            assertTrue(query(api, "token_service_authentication_failures_total").size() >= 5, "reasons missing");
            assertTrue(query(api, "http_server_requests_seconds_bucket{uri=\"/oauth2/token\"}").size() > 5,
                    "no latency histogram scraped");

            // Every rule of the example file evaluated (every second), against these series, without an error.
            Eventually.within(Duration.ofSeconds(10), () -> {
                JsonNode groups = JSON.readTree(get(api + "/api/v1/rules").body()).path("data").path("groups");
                assertEquals(1, groups.size());
                int evaluated = 0;
                for (JsonNode rule : groups.get(0).path("rules")) {
                    assertEquals("ok", rule.path("health").asText(), rule.toString());
                    evaluated++;
                }
                assertTrue(evaluated >= 10, "rules loaded: " + evaluated);
            });
        } finally {
            if (scraper != null) {
                scraper.destroy();
                scraper.waitFor(10, TimeUnit.SECONDS);
            }
            app.stop();
        }
    }
}
