package io.tokenservice.metrics;

import static io.tokenservice.testing.TokenRequests.clientCredentials;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.Management;
import io.tokenservice.testing.TestClients;
import jakarta.inject.Inject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What Prometheus scrapes from the management interface, read as Prometheus reads it: names, labels and values. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class MetricsTest {

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    TestClients clients;

    @BeforeEach
    void fixtures() {
        clients = new TestClients(dataSource, hasher);
    }

    static String scrape() {
        return Management.given().accept("text/plain").get("/q/metrics").then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/plain")).extract().asString()
                // The text format allows a comma before the closing brace; the selectors here are written without.
                .replace(",}", "}");

    }

    /** The value of the one sample whose name and labels match {@code selector} (a regex of the line's start). */
    static double sample(String metrics, String selector) {
        Matcher matcher = Pattern.compile("(?m)^" + selector + " ([0-9.eE+-]+|NaN)$").matcher(metrics);
        if (!matcher.find()) {
            return 0;
        }
        return Double.parseDouble(matcher.group(1));
    }

    @Test
    void anIssuedTokenIsCountedByAlgorithmAndClient() {
        var client = clients.client().register();
        String own = "token_service_client_tokens_issued_total\\{client_id=\"" + client.clientId() + "\"\\}";
        String other = "token_service_client_tokens_issued_total\\{client_id=\"_other\"\\}";
        String byAlgorithm = "token_service_tokens_issued_total\\{algorithm=\"RS256\"\\}";
        String before = scrape();
        clientCredentials(client.clientId(), client.secret()).post("/oauth2/token").then().statusCode(200);
        String after = scrape();
        assertEquals(sample(before, byAlgorithm) + 1, sample(after, byAlgorithm));
        // Its own series while fewer than max-client-series clients have one, else the shared one: never both.
        assertEquals(sample(before, own) + sample(before, other) + 1, sample(after, own) + sample(after, other));
    }

    @Test
    void aWrongSecretIsCountedAsBadSecretAndAnUnknownClientAsUnknownClient() {
        var client = clients.client().register();
        String before = scrape();
        clientCredentials(client.clientId(), "wrong-" + client.secret()).post("/oauth2/token").then().statusCode(403);
        clientCredentials("nobody-" + client.clientId(), client.secret()).post("/oauth2/token").then().statusCode(403);
        String after = scrape();
        for (String reason : new String[] {"bad_secret", "unknown_client"}) {
            String selector = "token_service_authentication_failures_total\\{reason=\"" + reason + "\"\\}";
            assertEquals(sample(before, selector) + 1, sample(after, selector), reason);
        }
        // Every named reason has a series from the start, so that an alert's rate() has something to read.
        for (String reason : new String[] {"no_credentials", "disabled", "method_mismatch"}) {
            assertTrue(after.contains("token_service_authentication_failures_total{reason=\"" + reason + "\"}"), reason);
        }
        assertFalse(after.contains(client.secret()), "a secret in the metrics");
    }

    @Test
    void theTokenPathsInstrumentsAreAllExposed() {
        var client = clients.client().register();
        clientCredentials(client.clientId(), client.secret()).post("/oauth2/token").then().statusCode(200);
        String metrics = scrape();
        for (String series : new String[] {
            "token_service_hashing_queued{lane=\"other\"}",
            "token_service_hashing_in_flight{lane=\"known\"}",
            "token_service_hashing_refused_total{lane=\"suspect\"}",
            "token_service_hashing_seconds_bucket{lane=\"other\",le=\"0.1\"}",
            "token_service_throttled_requests_total{limit=\"source\"}",
            "token_service_throttled_requests_total{limit=\"token_quota\"}",
            "cache_gets_total{cache=\"clients\",result=\"miss\"}",
            "cache_gets_total{cache=\"verified_secrets\",result=\"hit\"}",
            "token_service_database_calls_seconds_count{outcome=\"ok\"}",
            "token_service_database_calls_seconds_count{outcome=\"timeout\"}",
            "token_service_keys_published ",
            "token_service_keys_active_age_seconds ",
            "token_service_keys_next_activation_seconds ",
            "token_service_keys_loaded_age_seconds ",
            "token_service_revocations_total ",
            "token_service_revocations_in_memory ",
        }) {
            assertTrue(metrics.contains(series), series + " is missing");
        }
        assertTrue(sample(metrics, "token_service_keys_published") >= 1);
        assertTrue(sample(metrics, "token_service_database_calls_seconds_count\\{outcome=\"ok\"\\}") >= 1);
        assertTrue(Pattern.compile("(?m)^http_server_requests_seconds_bucket\\{[^}]*uri=\"/oauth2/token\"[^}]*le=\"0\\.25\"")
                .matcher(metrics).find(), "no latency histogram for the token endpoint");
    }

    @Test
    void adminChangesAreCountedByAction() {
        String token = io.tokenservice.testing.AdminTokens.issued(clients.client().administrator().register());
        String selector = "token_service_admin_changes_total\\{action=\"client.registered\"\\}";
        double before = sample(scrape(), selector);
        io.restassured.RestAssured.given().auth().oauth2(token).contentType("application/json")
                .body("{\"client_id\":\"metrics-" + java.util.UUID.randomUUID() + "\"}")
                .post("/admin/clients").then().statusCode(201);
        assertEquals(before + 1, sample(scrape(), selector));
    }

    @Test
    void requestsForPathsNoRouteMatchesAddNoSeries() throws Exception {
        String random = java.util.UUID.randomUUID().toString();
        io.restassured.RestAssured.given().put("/admin/keys/" + random + "/retire").then().statusCode(
                org.hamcrest.Matchers.greaterThanOrEqualTo(400));
        io.restassured.RestAssured.given().get("/nowhere/" + random).then().statusCode(404);
        // 413 from the announced length alone: the server answers before any body is sent (and closes), so the
        // request is written by hand rather than raced against the close by a client still sending 2 MB.
        try (java.net.Socket socket = new java.net.Socket("localhost", io.restassured.RestAssured.port)) {
            socket.getOutputStream().write(("POST /any/" + random + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: text/plain\r\nContent-Length: 2000000\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            assertTrue(statusLine.contains(" 413 "), statusLine);
        }
        assertFalse(scrape().contains(random), "a path of a request became a label value");
    }
}
