package io.tokenservice.client;

import static io.restassured.RestAssured.given;
import static io.tokenservice.testing.TokenRequests.basicRaw;
import static io.tokenservice.testing.TokenRequests.form;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.response.Response;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.Eventually;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the packaged service on one database: replica A (launched by Quarkus) caches a client, an
 * operator changes it through replica B's admin API (launched here), and A honours each change within moments.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class TwoReplicasIT {

    static final String ADMIN_ID = "replica-admin";
    static final String ADMIN_SECRET = "replica-admin-secret-0123456789-abcdef";

    static Process replicaB;
    static String replicaBUrl;

    @BeforeAll
    static void startReplicaB() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        replicaBUrl = "http://localhost:" + port;
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target", "quarkus-app", "quarkus-run.jar").toString())
                .redirectErrorStream(true)
                .redirectOutput(new File("target/replica-b.log"));
        if (System.getenv("DB_HOST") == null) {
            builder.environment().put("DB_HOST", "localhost");
            builder.environment().put("DB_PORT", String.valueOf(EmbeddedPostgresResource.port()));
        }
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        builder.environment().put("TOKEN_SERVICE_KEY_ENCRYPTION_KEY", EmbeddedPostgresResource.keyEncryptionKey());
        builder.environment().put("TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_ID", ADMIN_ID);
        builder.environment().put("TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_SECRET", ADMIN_SECRET);
        replicaB = builder.start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (status(() -> given().baseUri(replicaBUrl).get("/q/health/ready").statusCode()) != 200) {
            if (!replicaB.isAlive() || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("replica B did not start; see target/replica-b.log");
            }
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stopReplicaB() throws InterruptedException {
        if (replicaB != null) {
            replicaB.destroy();
            replicaB.waitFor();
        }
    }

    private static int status(IntSupplier request) {
        try {
            return request.getAsInt();
        } catch (Exception e) {
            // not listening yet (RestAssured rethrows the ConnectException unchecked)
            return -1;
        }
    }

    private static String adminToken() {
        return form("grant_type=client_credentials").baseUri(replicaBUrl)
                .header("Authorization", basicRaw(ADMIN_ID, ADMIN_SECRET))
                .post("/oauth2/token").then().statusCode(200).extract().path("access_token");
    }

    private static Response onB(String method, String path, String json) {
        var request = given().baseUri(replicaBUrl).header("Authorization", "Bearer " + adminToken())
                .contentType("application/json");
        if (json != null) {
            request.body(json);
        }
        return request.request(method, path);
    }

    /** The token endpoint of replica A, the one Quarkus launched. */
    private static int tokenOnA(String clientId, String secret) {
        return form("grant_type=client_credentials").header("Authorization", basicRaw(clientId, secret))
                .post("/oauth2/token").statusCode();
    }

    @Test
    void changesThroughReplicaBReachReplicaAsCache() throws Exception {
        Response created = onB("POST", "/admin/clients", "{\"scope\":\"read\"}");
        created.then().statusCode(201);
        String id = created.path("client_id");
        String secret = created.path("client_secret");
        assertEquals(200, tokenOnA(id, secret));
        assertEquals(200, tokenOnA(id, secret));

        onB("PATCH", "/admin/clients/" + id, "{\"enabled\":false}").then().statusCode(200);
        Eventually.status(403, () -> tokenOnA(id, secret));

        onB("PATCH", "/admin/clients/" + id, "{\"enabled\":true}").then().statusCode(200);
        Eventually.status(200, () -> tokenOnA(id, secret));

        String rotated = onB("POST", "/admin/clients/" + id + "/secret", null).then().statusCode(200)
                .extract().path("client_secret");
        Eventually.status(403, () -> tokenOnA(id, secret));
        assertEquals(200, tokenOnA(id, rotated));

        onB("DELETE", "/admin/clients/" + id, null).then().statusCode(204);
        Eventually.status(403, () -> tokenOnA(id, rotated));
    }
}
