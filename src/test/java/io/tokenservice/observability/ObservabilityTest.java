package io.tokenservice.observability;

import static io.restassured.RestAssured.given;
import static io.tokenservice.testing.TokenRequests.clientCredentials;
import static io.tokenservice.testing.TokenRequests.form;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.testing.AdminTokens;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.Eventually;
import io.tokenservice.testing.OtlpCollector;
import io.tokenservice.testing.TestClients;
import io.tokenservice.testing.TokenRequests;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Tracing and JSON logs as an operator turns them on: spans exported over OTLP to a collector (one per stage of
 * the token path), and JSON log lines; neither ever carries a secret, a token or an Authorization header.
 */
@QuarkusTest
@TestProfile(ObservabilityTest.TracingAndJsonLogs.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
class ObservabilityTest {

    static final Path JSON_LOG = Path.of("target", "observability-test.json.log");

    public static class TracingAndJsonLogs implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false",
                    "quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf",
                    "quarkus.otel.bsp.schedule.delay", "100ms",
                    "quarkus.log.file.enabled", "true",
                    "quarkus.log.file.path", JSON_LOG.toString(),
                    "quarkus.log.file.json.enabled", "true");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OtlpCollector.class));
        }
    }

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    @Test
    void theTokenPathIsExportedAsOneSpanPerStage() throws Exception {
        var client = new TestClients(dataSource, hasher).client().register();
        clientCredentials(client.clientId(), client.secret()).post("/oauth2/token").then().statusCode(200);
        Eventually.within(Duration.ofSeconds(10), () -> {
            String spans = OtlpCollector.received();
            for (String stage : new String[] {"POST /oauth2/token", "token.parse_request", "client.authenticate",
                "client.find", "client.verify_secret", "token.quota", "token.authorize_grant", "token.mint"}) {
                assertTrue(spans.contains(stage), "no span " + stage);
            }
        });
    }

    @Test
    void noSecretTokenOrAuthorizationHeaderInAnySpanOrLogLine() throws Exception {
        TestClients clients = new TestClients(dataSource, hasher);
        var basic = clients.client().register();
        var post = clients.client().clientSecretPost().register();
        String wrong = "wrong-" + TestClients.randomSecret();
        List<String> forbidden = new ArrayList<>(List.of(basic.secret(), post.secret(), wrong, "Basic ",
                TokenRequests.basicRaw(basic.clientId(), basic.secret()).substring("Basic ".length())));

        String token = clientCredentials(basic.clientId(), basic.secret()).post("/oauth2/token").then().statusCode(200)
                .extract().path("access_token");
        form("grant_type=client_credentials&client_id=" + post.clientId() + "&client_secret=" + post.secret())
                .post("/oauth2/token").then().statusCode(200);
        clientCredentials(basic.clientId(), wrong).post("/oauth2/token").then().statusCode(403);
        // A client that puts a secret in the URL (which RFC 6749 §2.3.1 forbids): the span keeps the path only.
        String inQuery = "query-" + TestClients.randomSecret();
        forbidden.add(inQuery);
        clientCredentials(basic.clientId(), basic.secret()).post("/oauth2/token?client_secret=" + inQuery);
        clientCredentials(basic.clientId(), basic.secret()).body("token=" + token).post("/oauth2/introspect")
                .then().statusCode(200);
        // An admin change: its secret is returned once, and its audit record is logged.
        String adminToken = AdminTokens.issued(clients.client().administrator().register());
        String created = given().auth().oauth2(adminToken).contentType("application/json")
                .body("{\"client_id\":\"observed-" + UUID.randomUUID() + "\"}").post("/admin/clients").then()
                .statusCode(201).extract().path("client_secret");
        forbidden.add(created);
        forbidden.add(token);
        forbidden.add(token.substring(token.lastIndexOf('.') + 1));
        forbidden.add(adminToken.substring(adminToken.lastIndexOf('.') + 1));

        Eventually.within(Duration.ofSeconds(10), () -> {
            String spans = OtlpCollector.received();
            assertTrue(spans.contains("/oauth2/introspect") && spans.contains("/admin/clients"), "not exported yet");
        });
        Thread.sleep(300);
        String spans = OtlpCollector.received();
        String log = Files.readString(JSON_LOG, StandardCharsets.UTF_8);
        for (String value : forbidden) {
            assertFalse(spans.contains(value), "exported in a span: " + value);
            assertFalse(log.contains(value), "written to the log: " + value);
            String base64 = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
            assertFalse(spans.contains(base64) || log.contains(base64), "base64 of a secret exported");
        }
        assertFalse(spans.toLowerCase().contains("authorization"), "an Authorization header in a span");
        assertTrue(spans.contains("url.query"), "the query attribute is gone altogether: the redaction is not tested");
    }

    @Test
    void logLinesAreJsonAndAuditEventsCarryTheirFields() throws Exception {
        TestClients clients = new TestClients(dataSource, hasher);
        String adminToken = AdminTokens.issued(clients.client().administrator().register());
        String clientId = "audited-" + UUID.randomUUID();
        given().auth().oauth2(adminToken).contentType("application/json").body("{\"client_id\":\"" + clientId + "\"}")
                .post("/admin/clients").then().statusCode(201);
        ObjectMapper json = new ObjectMapper();
        Eventually.within(Duration.ofSeconds(5), () -> {
            JsonNode audit = null;
            for (String line : Files.readAllLines(JSON_LOG, StandardCharsets.UTF_8)) {
                JsonNode record = json.readTree(line);
                assertTrue(record.hasNonNull("timestamp") && record.hasNonNull("level") && record.hasNonNull("message"),
                        "not a log record: " + line);
                if ("token-service.audit".equals(record.path("loggerName").asText())
                        && clientId.equals(record.path("mdc").path("audit.client_id").asText())) {
                    audit = record;
                }
            }
            assertTrue(audit != null, "no structured audit record for " + clientId);
            assertTrue("client.registered".equals(audit.path("mdc").path("audit.action").asText()), audit.toString());
            assertFalse(audit.path("mdc").path("audit.actor").asText().isEmpty(), audit.toString());
        });
    }
}
