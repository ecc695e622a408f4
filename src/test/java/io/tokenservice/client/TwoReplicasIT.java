package io.tokenservice.client;

import static io.restassured.RestAssured.given;
import static io.tokenservice.testing.TokenRequests.basicRaw;
import static io.tokenservice.testing.TokenRequests.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.response.Response;
import io.tokenservice.testing.ClientAssertions;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.Eventually;
import io.tokenservice.testing.IndependentVerifier;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the packaged service on one database: replica A (launched by Quarkus) and replica B (launched
 * here), both with the default refresh intervals. A caches a client, an operator changes it through B's admin API,
 * and A honours each change within moments; tokens of either verify with the other's JWKS; a token revoked through
 * A is refused by B, and a key retired through B stops signing at A, within 2 s (issue 18, point 2).
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
        int managementPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            managementPort = socket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target", "quarkus-app", "quarkus-run.jar").toString())
                .redirectErrorStream(true)
                .redirectOutput(new File("target/replica-b.log"));
        if (System.getenv("DB_HOST") == null) {
            builder.environment().put("DB_HOST", "localhost");
            builder.environment().put("DB_PORT", String.valueOf(EmbeddedPostgresResource.port()));
        }
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        // A migrated the schema; B only checks it, as replicas behind a migration job do.
        builder.environment().put("TOKEN_SERVICE_DATABASE_MIGRATE_AT_START", "false");
        builder.environment().put("TOKEN_SERVICE_KEY_ENCRYPTION_KEY", EmbeddedPostgresResource.keyEncryptionKey());
        // B keeps the default refresh intervals (60 s): revocations and keys must reach it by notification.
        builder.environment().put("TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_ID", ADMIN_ID);
        builder.environment().put("TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_SECRET", ADMIN_SECRET);
        replicaB = builder.start();
        long deadline = System.currentTimeMillis() + 60_000;
        String management = "http://localhost:" + managementPort;
        while (status(() -> given().baseUri(management).get("/q/health/ready").statusCode()) != 200) {
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

    /** An admin token from replica B. */
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
    void anAssertionAcceptedByAIsAReplayAtB() {
        RSAKey key = ClientAssertions.rsa("k1");
        String clientId = "replicas-pkjwt-" + System.nanoTime();
        onB("POST", "/admin/clients", "{\"client_id\":\"" + clientId + "\",\"token_endpoint_auth_method\":"
                + "\"private_key_jwt\",\"jwks\":" + ClientAssertions.jwks(key) + "}").then().statusCode(201);
        String tokenEndpoint = given().get("/.well-known/oauth-authorization-server").then().statusCode(200)
                .extract().path("token_endpoint");
        assertEquals(tokenEndpoint, given().baseUri(replicaBUrl).get("/.well-known/oauth-authorization-server")
                .then().extract().path("token_endpoint"));
        String assertion = ClientAssertions.sign(key, JWSAlgorithm.RS256,
                ClientAssertions.claims(clientId, tokenEndpoint).build());

        form(ClientAssertions.tokenForm(assertion)).post("/oauth2/token").then().statusCode(200);
        form(ClientAssertions.tokenForm(assertion)).baseUri(replicaBUrl).post("/oauth2/token").then().statusCode(403)
                .body("error", org.hamcrest.Matchers.equalTo("invalid_client"));
    }

    @Test
    void anIssuerTrustedThroughBAuthenticatesAtAAndStopsWhenRemoved() throws Exception {
        RSAKey key = ClientAssertions.rsa("cluster-1");
        String name = "cluster-" + System.nanoTime();
        String issuer = "https://" + name + ".example.com";
        String subject = "system:serviceaccount:payments:api";
        onB("POST", "/admin/trusted-issuers", "{\"name\":\"" + name + "\",\"issuer\":\"" + issuer
                + "\",\"jwks\":" + ClientAssertions.jwks(key) + ",\"allow_reuse\":true}").then().statusCode(201);
        onB("POST", "/admin/clients", "{\"token_endpoint_auth_method\":\"federated_jwt\",\"federated_credentials\":"
                + "[{\"issuer\":\"" + issuer + "\",\"subject\":\"" + subject + "\"}]}").then().statusCode(201);
        String tokenEndpoint = given().get("/.well-known/oauth-authorization-server").then().extract().path("token_endpoint");
        java.time.Instant now = java.time.Instant.now();
        String projected = ClientAssertions.sign(key, JWSAlgorithm.RS256, new com.nimbusds.jwt.JWTClaimsSet.Builder()
                .issuer(issuer).subject(subject).audience(tokenEndpoint).issueTime(java.util.Date.from(now))
                .expirationTime(java.util.Date.from(now.plusSeconds(3600))).build());

        // A learns of the change from PostgreSQL's notification, well before its 60 s refresh.
        Eventually.status(200, () -> form(ClientAssertions.tokenForm(projected)).post("/oauth2/token").statusCode());
        onB("DELETE", "/admin/trusted-issuers/" + name, null).then().statusCode(204);
        Eventually.status(403, () -> form(ClientAssertions.tokenForm(projected)).post("/oauth2/token").statusCode());
    }

    @Test
    void tokensOfEitherReplicaVerifyWithTheOthersJwks() throws Exception {
        String jwksOfA = given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
        String jwksOfB = given().baseUri(replicaBUrl).get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
        String fromA = adminTokenFromA();
        String fromB = adminToken();
        IndependentVerifier.verify(fromA, jwksOfB);
        IndependentVerifier.verify(fromB, jwksOfA);
        assertEquals(IndependentVerifier.verify(fromA, jwksOfA).getHeader().getKeyID(),
                IndependentVerifier.verify(fromB, jwksOfB).getHeader().getKeyID());
    }

    @Test
    void tokenRevokedThroughAIsInactiveAtBAndRefusedByItsAdminApiWithinTwoSeconds() throws Exception {
        String token = adminTokenFromA();
        given().baseUri(replicaBUrl).header("Authorization", "Bearer " + token).get("/admin/clients").then().statusCode(200);

        form("token=" + token).header("Authorization", basicRaw(ADMIN_ID, ADMIN_SECRET)).post("/oauth2/revoke")
                .then().statusCode(200);

        Eventually.within(TWO_SECONDS, () -> {
            assertEquals(401, given().baseUri(replicaBUrl).header("Authorization", "Bearer " + token)
                    .get("/admin/clients").statusCode());
            boolean active = form("token=" + token).baseUri(replicaBUrl)
                    .header("Authorization", basicRaw(ADMIN_ID, ADMIN_SECRET))
                    .post("/oauth2/introspect").then().statusCode(200).extract().path("active");
            assertFalse(active);
        });
    }

    @Test
    void aTokenRevokedThroughAIsNotHandedOutAgainByBWithinTwoSeconds() throws Exception {
        String created = onB("POST", "/admin/clients", "{\"scope\":\"read\"}").then().statusCode(201).extract().asString();
        String id = io.restassured.path.json.JsonPath.from(created).getString("client_id");
        String secret = io.restassured.path.json.JsonPath.from(created).getString("client_secret");
        java.util.function.Supplier<String> tokenFromB = () -> form("grant_type=client_credentials").baseUri(replicaBUrl)
                .header("Authorization", basicRaw(id, secret)).post("/oauth2/token").then().statusCode(200).extract()
                .path("access_token");
        String[] first = new String[1];
        // B hands its token out again once it listens for revocations (it may still be catching up after its start).
        Eventually.within(java.time.Duration.ofSeconds(10), () -> {
            first[0] = tokenFromB.get();
            assertEquals(first[0], tokenFromB.get(), "B hands its token out again");
        });
        String held = first[0];

        form("token=" + held).header("Authorization", basicRaw(id, secret)).post("/oauth2/revoke").then().statusCode(200);
        Eventually.within(TWO_SECONDS, () -> org.junit.jupiter.api.Assertions.assertNotEquals(held, tokenFromB.get()));
        String fresh = tokenFromB.get();
        boolean active = form("token=" + fresh).header("Authorization", basicRaw(id, secret)).post("/oauth2/introspect")
                .then().statusCode(200).extract().path("active");
        assertTrue(active);
    }

    /** Issue 18, point 2: what another replica changed must hold here within this, with default settings. */
    static final java.time.Duration TWO_SECONDS = java.time.Duration.ofSeconds(2);

    @Test
    void productionStartWithoutAKeyEncryptionKeyIsRefused() throws Exception {
        refusedToStart("without-kek", Map.of(), Set.of("TOKEN_SERVICE_KEY_ENCRYPTION_KEY"),
                "TOKEN_SERVICE_KEY_ENCRYPTION_KEY is not set");
    }

    @Test
    void productionStartWithoutAnIssuerIsRefused() throws Exception {
        refusedToStart("without-issuer", Map.of("TOKEN_SERVICE_KEY_ENCRYPTION_KEY", EmbeddedPostgresResource.keyEncryptionKey()),
                Set.of("TOKEN_SERVICE_ISSUER"), "token-service.issuer");
    }

    @Test
    void productionStartWithAShortBootstrapSecretIsRefused() throws Exception {
        refusedToStart("short-bootstrap-secret", Map.of(
                        "TOKEN_SERVICE_KEY_ENCRYPTION_KEY", EmbeddedPostgresResource.keyEncryptionKey(),
                        "TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_ID", "short-admin",
                        "TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_SECRET", "only-31-characters-long-0123456"),
                Set.of(), "must be at least 32 characters");
    }

    @Test
    void productionStartWithForwardingButNoTrustedProxyIsRefused() throws Exception {
        refusedToStart("forwarding-without-trusted-proxies", Map.of(
                        "TOKEN_SERVICE_KEY_ENCRYPTION_KEY", EmbeddedPostgresResource.keyEncryptionKey(),
                        "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "true"),
                Set.of("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES"), "quarkus.http.proxy.trusted-proxies is empty");
    }

    /** Launches the packaged jar with these environment changes and expects it to exit non-zero, saying why. */
    private static void refusedToStart(String name, Map<String, String> set, Set<String> removed, String reason)
            throws Exception {
        File log = new File("target/replica-" + name + ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target", "quarkus-app", "quarkus-run.jar").toString())
                .redirectErrorStream(true)
                .redirectOutput(log);
        if (System.getenv("DB_HOST") == null) {
            builder.environment().put("DB_HOST", "localhost");
            builder.environment().put("DB_PORT", String.valueOf(EmbeddedPostgresResource.port()));
        }
        removed.forEach(builder.environment()::remove);
        builder.environment().putAll(set);
        builder.environment().put("QUARKUS_HTTP_PORT", "0");
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the service started: " + name);
        assertNotEquals(0, process.exitValue());
        assertTrue(Files.readString(log.toPath()).contains(reason), "no '" + reason + "' in " + log);
    }

    @Test
    void tokensRevokedThroughBAreInactiveAtAWithinTwoSeconds() throws Exception {
        Response created = onB("POST", "/admin/clients", "{\"scope\":\"read\"}");
        String id = created.path("client_id");
        String secret = created.path("client_secret");
        String token = form("grant_type=client_credentials").header("Authorization", basicRaw(id, secret))
                .post("/oauth2/token").then().statusCode(200).extract().path("access_token");
        assertTrue(activeAtA(token, id, secret));
        onB("POST", "/admin/clients/" + id + "/revoke-tokens", null).then().statusCode(204);
        Eventually.within(TWO_SECONDS, () -> assertFalse(activeAtA(token, id, secret),
                "A still honours a token whose client revoked its tokens through B"));
    }

    @Test
    void aKeyRetiredThroughBLeavesAsJwksAndStopsSigningThereWithinTwoSeconds() throws Exception {
        String issuedBefore = adminTokenFromA();
        String kid = IndependentVerifier.verify(issuedBefore,
                given().get("/.well-known/jwks.json").then().extract().asString()).getHeader().getKeyID();
        String signing = onB("POST", "/admin/keys/" + kid + "/retire", null).then().statusCode(200)
                .extract().path("signing");
        Eventually.within(TWO_SECONDS, () -> {
            assertFalse(jwksKidsOfA().contains(kid), "A still publishes the retired key");
            String jwksOfA = given().get("/.well-known/jwks.json").then().extract().asString();
            assertEquals(signing, IndependentVerifier.verify(adminTokenFromA(), jwksOfA).getHeader().getKeyID());
            // A no longer honours what the retired key signed.
            assertEquals(401, given().header("Authorization", "Bearer " + issuedBefore).get("/admin/clients")
                    .statusCode());
        });
    }

    private static java.util.List<String> jwksKidsOfA() {
        return given().get("/.well-known/jwks.json").then().statusCode(200).extract().jsonPath().getList("keys.kid");
    }

    private static boolean activeAtA(String token, String callerId, String callerSecret) {
        return form("token=" + token).header("Authorization", basicRaw(callerId, callerSecret))
                .post("/oauth2/introspect").then().statusCode(200).extract().path("active");
    }

    /** An admin token from replica A: the bootstrap admin client B created is in the shared database. */
    private static String adminTokenFromA() {
        return form("grant_type=client_credentials").header("Authorization", basicRaw(ADMIN_ID, ADMIN_SECRET))
                .post("/oauth2/token").then().statusCode(200).extract().path("access_token");
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
