package io.tokenservice.admin;

import static io.restassured.RestAssured.given;
import static io.tokenservice.testing.TokenRequests.clientCredentials;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.testing.AdminTokens;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.LogCapture;
import io.tokenservice.testing.Sql;
import io.tokenservice.testing.TestClients;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The admin API's endpoints, success and failure, against a real PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class ClientAdminApiTest {

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    String adminToken;
    String adminId;

    @BeforeEach
    void admin() {
        var admin = new TestClients(dataSource, hasher).client().administrator().register();
        adminId = admin.clientId();
        adminToken = AdminTokens.issued(admin);
    }

    private RequestSpecification api() {
        return given().header("Authorization", "Bearer " + adminToken).contentType("application/json");
    }

    private static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    private Response register(String json) {
        return api().body(json).post("/admin/clients");
    }

    private void invalid(Response response, String field) {
        response.then().statusCode(400)
                .body("error", equalTo("invalid_client_metadata"))
                .body("field", equalTo(field));
    }

    private String query(String sql, String parameter) throws Exception {
        return Sql.query(dataSource, sql, parameter);
    }

    @Test
    void registrationGeneratesIdAndAUrlSafeSecretShownOnce() {
        Response created = register("{}");
        created.then().statusCode(201)
                .header("Cache-Control", "no-store")
                .header("Location", matchesPattern(".*/admin/clients/[0-9a-f-]{36}"))
                .body("client_secret", matchesPattern("[A-Za-z0-9_-]{43}"))
                .body("token_endpoint_auth_method", equalTo("client_secret_basic"))
                .body("enabled", equalTo(true))
                .body("scope", equalTo(""));
        String clientId = created.path("client_id");
        String secret = created.path("client_secret");
        clientCredentials(clientId, secret).post("/oauth2/token").then().statusCode(200);
        api().get("/admin/clients/" + clientId).then().statusCode(200)
                .body("created_at", equalTo(created.path("created_at")))
                .body("$", not(hasKey("client_secret")))
                .body("$", not(hasKey("client_secret_hash")))
                .body("client_id", equalTo(clientId))
                .body("created_at", matchesPattern("\\d{4}-\\d\\d-\\d\\dT.*Z"));
    }

    @Test
    void registrationStoresTheGivenMetadata() throws Exception {
        String id = uniqueId("billing");
        register("{\"client_id\":\"" + id + "\",\"client_name\":\"Billing\",\"scope\":\"read write\","
                + "\"audience\":[\"https://billing.example\"],\"token_endpoint_auth_method\":\"client_secret_post\","
                + "\"access_token_ttl\":600,\"enabled\":true}")
                .then().statusCode(201)
                .body("client_id", equalTo(id))
                .body("client_name", equalTo("Billing"))
                .body("scope", equalTo("read write"))
                .body("audience[0]", equalTo("https://billing.example"))
                .body("token_endpoint_auth_method", equalTo("client_secret_post"))
                .body("access_token_ttl", equalTo(600));
    }

    @Test
    void aClientIsRegisteredForClientCredentialsUnlessItsGrantTypesSayOtherwise() {
        register("{}").then().statusCode(201).body("grant_types", equalTo(java.util.List.of("client_credentials")));
        register("{\"grant_types\":[\"client_credentials\",\"client_credentials\"]}").then().statusCode(201)
                .body("grant_types", equalTo(java.util.List.of("client_credentials")));
        register("{\"grant_types\":[\"password\"]}").then().statusCode(400).body("error", equalTo("invalid_client_metadata"));
        register("{\"grant_types\":[]}").then().statusCode(400);
        register("{\"grant_types\":\"client_credentials\"}").then().statusCode(400);
    }

    @Test
    void aClientsTokenExchangePolicyIsItsMetadatasExplicitWord() {
        register("{}").then().statusCode(201).body("token_exchange_subject_audiences", equalTo(java.util.List.of()))
                .body("token_exchange_trusted_issuers", equalTo(java.util.List.of())).body("transaction_tokens", equalTo(false));
        register("{\"grant_types\":[\"urn:ietf:params:oauth:grant-type:token-exchange\"],"
                + "\"token_exchange_subject_audiences\":[\"https://orders.example\"],"
                + "\"token_exchange_trusted_issuers\":[\"prod-cluster\"],\"transaction_tokens\":true}").then().statusCode(201)
                .body("grant_types", equalTo(java.util.List.of("urn:ietf:params:oauth:grant-type:token-exchange")))
                .body("token_exchange_subject_audiences", equalTo(java.util.List.of("https://orders.example")))
                .body("token_exchange_trusted_issuers", equalTo(java.util.List.of("prod-cluster")))
                .body("transaction_tokens", equalTo(true));
        register("{\"token_exchange_trusted_issuers\":[\"Not A Name\"]}").then().statusCode(400)
                .body("error", equalTo("invalid_client_metadata"));
        register("{\"transaction_tokens\":\"yes\"}").then().statusCode(400);
        register("{\"token_exchange_subject_audiences\":\"https://orders.example\"}").then().statusCode(400);
        // Every client's tokens carry the default audience, admin tokens the admin one: no client exchanges all of them.
        register("{\"token_exchange_subject_audiences\":[\"http://localhost:8080\"]}").then().statusCode(400)
                .body("error", equalTo("invalid_client_metadata"));
        register("{\"token_exchange_subject_audiences\":[\"" + TestClients.adminAudience() + "\"]}").then()
                .statusCode(400).body("error", equalTo("invalid_client_metadata"));
        // Tokens addressed to a client's id are its to exchange: no id is an audience every client's tokens carry.
        register("{\"client_id\":\"http://localhost:8080\"}").then().statusCode(400)
                .body("error", equalTo("invalid_client_metadata"));
        // Only transaction tokens carry the trust domain.
        register("{\"audience\":[\"spiffe://trust-domain.test\"]}").then().statusCode(400)
                .body("error", equalTo("invalid_client_metadata"));
    }

    @Test
    void duplicateClientIdIs409AndChangesNothing() throws Exception {
        String id = uniqueId("dup");
        register("{\"client_id\":\"" + id + "\",\"client_name\":\"first\"}").then().statusCode(201);
        register("{\"client_id\":\"" + id + "\",\"client_name\":\"second\"}").then().statusCode(409)
                .body("error", equalTo("conflict"));
        api().get("/admin/clients/" + id).then().body("client_name", equalTo("first"));
    }

    @Test
    void importedSecretAuthenticatesAndIsNotEchoed() {
        String id = uniqueId("imported");
        String secret = "an-imported-secret-of-at-least-32-chars";
        register("{\"client_id\":\"" + id + "\",\"client_secret\":\"" + secret + "\"}").then().statusCode(201)
                .body("$", not(hasKey("client_secret")));
        clientCredentials(id, secret).post("/oauth2/token").then().statusCode(200);
    }

    @Test
    void importedPhcHashAuthenticates() {
        String id = uniqueId("hydra");
        register("{\"client_id\":\"" + id + "\",\"client_secret_hash\":"
                + "\"$pbkdf2-sha256$i=25000,l=32$AAECAwQFBgcICQoLDA0ODw$JdTx/UAo23T5qZ1xttlR+hv4cbnkhoMNwz0gXYUY+cg\"}")
                .then().statusCode(201);
        clientCredentials(id, "imported-client-secret-0123456789").post("/oauth2/token").then().statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"token_endpoint_auth_method\":\"client_secret_jwt\"}|token_endpoint_auth_method",
        "{\"token_endpoint_auth_method\":\"tls_client_auth\"}|tls_client_auth_subject_dn",
        "{\"token_endpoint_auth_method\":\"tls_client_auth\",\"tls_client_auth_san_dns\":\"a.example\",\"tls_client_auth_san_ip\":\"10.0.0.1\"}|tls_client_auth_san_ip",
        "{\"tls_client_auth_san_uri\":\"spiffe://example.org/x\"}|tls_client_auth_san_uri",
        "{\"token_endpoint_auth_method\":\"federated_jwt\",\"federated_credentials\":[{\"issuer\":\"https://k8s.example\",\"subject\":\"s\"}],\"tls_client_auth_subject_dn\":\"CN=x\"}|tls_client_auth_subject_dn",
        "{\"token_endpoint_auth_method\":\"tls_client_auth\",\"tls_client_auth_subject_dn\":\"not a dn\"}|tls_client_auth_subject_dn",
        "{\"token_endpoint_auth_method\":\"tls_client_auth\",\"tls_client_auth_san_ip\":\"localhost\"}|tls_client_auth_san_ip",
        "{\"token_endpoint_auth_method\":\"tls_client_auth\",\"tls_client_auth_san_uri\":\"relative/path\"}|tls_client_auth_san_uri",
        "{\"token_endpoint_auth_method\":\"self_signed_tls_client_auth\"}|jwks",
        "{\"dpop_bound_access_tokens\":\"yes\"}|dpop_bound_access_tokens",
        "{\"token_endpoint_auth_method\":\"private_key_jwt\"}|jwks",
        "{\"jwks_uri\":\"https://keys.example.com/jwks\"}|jwks_uri",
        "{\"access_token_ttl\":0}|access_token_ttl",
        "{\"access_token_ttl\":604801}|access_token_ttl",
        "{\"access_token_ttl\":\"600\"}|access_token_ttl",
        "{\"scope\":\"read \\\"quoted\\\"\"}|scope",
        "{\"scope\":[\"read\"]}|scope",
        "{\"audience\":\"https://a.example\"}|audience",
        "{\"enabled\":\"yes\"}|enabled",
        "{\"access_token_typ\":\"jwt\"}|access_token_typ",
        "{\"client_id\":\"has space\"}|client_id",
        "{\"client_secret\":\"too-short\"}|client_secret",
        "{\"client_secret_hash\":\"$argon2id$broken\"}|client_secret_hash",
        // Issue 11, defect 4: hashes whose parameters would stall a worker or fill the heap on every guess.
        "{\"client_secret_hash\":\"$argon2id$v=19$m=4194304,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$7D/lGouIU9JvzX1+8D7cpQrBS5Eoa1r6hSEeJCWp/XU\"}|client_secret_hash",
        "{\"client_secret_hash\":\"$argon2id$v=19$m=262145,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$7D/lGouIU9JvzX1+8D7cpQrBS5Eoa1r6hSEeJCWp/XU\"}|client_secret_hash",
        "{\"client_secret_hash\":\"$argon2id$v=19$m=19456,t=11,p=1$c29tZXNhbHRzb21lc2FsdA$7D/lGouIU9JvzX1+8D7cpQrBS5Eoa1r6hSEeJCWp/XU\"}|client_secret_hash",
        "{\"client_secret_hash\":\"$pbkdf2-sha256$i=1000001,l=32$AAECAwQFBgcICQoLDA0ODw$JdTx/UAo23T5qZ1xttlR+hv4cbnkhoMNwz0gXYUY+cg\"}|client_secret_hash",
        "{\"client_secret_hash\":\"$pbkdf2-sha256$i=25000$AAECAwQFBgcICQoLDA0ODw$JdTx/UAo23T5qZ1xttlR+hv4cbnkhoMNwz0gXYUY+cgJdTx/UAo23T5qZ1xttlR+hv4cbnkhoMNwz0gXYUY+cgAA\"}|client_secret_hash",
        "{\"client_secret_hash\":\"$2b$15$16p8B0lqvt742OV3ocMKJuboa/k/y6vX6yxgOsC0GfcgJ1NGSPP1i\"}|client_secret_hash",
        "{\"client_secret\":\"an-imported-secret-of-at-least-32-chars\",\"client_secret_hash\":\"$2b$10$16p8B0lqvt742OV3ocMKJuboa/k/y6vX6yxgOsC0GfcgJ1NGSPP1i\"}|client_secret_hash",
        "{\"grant_types\":[\"authorization_code\"]}|grant_types",
        "[]|body",
        "{not json|body",
    })
    void invalidRegistrationIs400NamingTheFieldAndCreatesNothing(String caseLine) throws Exception {
        String[] parts = caseLine.split("\\|");
        String before = query("SELECT count(*) FROM token_service.client WHERE client_id <> ?", "");
        invalid(register(parts[0]), parts[1]);
        assertEquals(before, query("SELECT count(*) FROM token_service.client WHERE client_id <> ?", ""));
    }

    @Test
    void unknownClientIs404() {
        api().get("/admin/clients/no-such-client").then().statusCode(404).body("error", equalTo("not_found"));
        api().body("{\"client_name\":\"x\"}").patch("/admin/clients/no-such-client").then().statusCode(404);
        api().post("/admin/clients/no-such-client/secret").then().statusCode(404);
        api().delete("/admin/clients/no-such-client").then().statusCode(404);
    }

    @Test
    void listingIsAStableOrderedPageWithTheTotal() {
        String prefix = uniqueId("page");
        for (int i = 0; i < 3; i++) {
            register("{\"client_id\":\"" + prefix + "-" + i + "\"}").then().statusCode(201);
        }
        int total = api().get("/admin/clients?limit=1").then().statusCode(200).extract().path("total");
        assertTrue(total >= 3);
        List<String> seen = new ArrayList<>();
        for (int offset = 0; offset < total; offset += 2) {
            Response page = api().get("/admin/clients?offset=" + offset + "&limit=2");
            page.then().statusCode(200).body("offset", equalTo(offset)).body("limit", equalTo(2));
            seen.addAll(page.path("clients.client_id"));
        }
        assertEquals(total, seen.size());
        assertEquals(seen.stream().sorted().toList(), seen);
        assertTrue(seen.containsAll(List.of(prefix + "-0", prefix + "-1", prefix + "-2")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0|limit", "limit=201|limit", "limit=x|limit", "offset=-1|offset",
        "offset=2147483647|offset"})
    void badPagingParametersAre400(String caseLine) {
        String[] parts = caseLine.split("\\|");
        invalid(api().get("/admin/clients?" + parts[0]), parts[1]);
    }

    @Test
    void mergePatchChangesOnlyTheGivenFields() {
        String id = uniqueId("patch");
        register("{\"client_id\":\"" + id + "\",\"client_name\":\"before\",\"scope\":\"read\",\"access_token_ttl\":600}")
                .then().statusCode(201);
        api().contentType("application/merge-patch+json").body("{\"scope\":\"read write\",\"access_token_ttl\":null}")
                .patch("/admin/clients/" + id).then().statusCode(200)
                .body("client_name", equalTo("before"))
                .body("scope", equalTo("read write"))
                .body("access_token_ttl", nullValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"client_id", "client_secret", "client_secret_hash", "created_at", "updated_at"})
    void patchingIdentityOrSecretIs400(String field) {
        String id = uniqueId("readonly");
        register("{\"client_id\":\"" + id + "\"}").then().statusCode(201);
        invalid(api().body("{\"" + field + "\":\"x\"}").patch("/admin/clients/" + id), field);
    }

    @Test
    void invalidPatchChangesNothing() {
        String id = uniqueId("atomic");
        register("{\"client_id\":\"" + id + "\",\"client_name\":\"kept\"}").then().statusCode(201);
        invalid(api().body("{\"client_name\":\"changed\",\"access_token_ttl\":-5}").patch("/admin/clients/" + id),
                "access_token_ttl");
        api().get("/admin/clients/" + id).then().body("client_name", equalTo("kept"));
    }

    @Test
    void disabledClientGetsNoTokensAndReenabledDoes() {
        Response created = register("{}");
        String id = created.path("client_id");
        String secret = created.path("client_secret");
        api().body("{\"enabled\":false}").patch("/admin/clients/" + id).then().statusCode(200).body("enabled", equalTo(false));
        clientCredentials(id, secret).post("/oauth2/token").then().statusCode(403).body("error", equalTo("invalid_client"));
        api().body("{\"enabled\":true}").patch("/admin/clients/" + id).then().statusCode(200);
        clientCredentials(id, secret).post("/oauth2/token").then().statusCode(200);
    }

    @Test
    void scopeChangeIsWhatTheNextTokenGets() {
        Response created = register("{\"scope\":\"read\"}");
        String id = created.path("client_id");
        api().body("{\"scope\":\"read write\"}").patch("/admin/clients/" + id).then().statusCode(200);
        clientCredentials(id, created.path("client_secret")).post("/oauth2/token").then()
                .statusCode(200).body("scope", equalTo("read write"));
    }

    @Test
    void concurrentPatchesNeverLoseAWrite() throws Exception {
        String id = uniqueId("race");
        register("{\"client_id\":\"" + id + "\"}").then().statusCode(201);
        int successes = 0;
        int conflicts = 0;
        long before = Long.parseLong(query("SELECT version FROM token_service.client WHERE client_id = ?", id).trim());
        for (int round = 0; round < 10; round++) {
            CyclicBarrier start = new CyclicBarrier(2);
            String name = "name-" + round;
            int ttl = 100 + round;
            CompletableFuture<Integer> renaming = CompletableFuture.supplyAsync(() -> patchAfter(start, id,
                    "{\"client_name\":\"" + name + "\"}"));
            CompletableFuture<Integer> retiming = CompletableFuture.supplyAsync(() -> patchAfter(start, id,
                    "{\"access_token_ttl\":" + ttl + "}"));
            int renamed = renaming.get();
            int retimed = retiming.get();
            for (int status : List.of(renamed, retimed)) {
                assertTrue(status == 200 || status == 409, "status " + status);
                if (status == 200) {
                    successes++;
                } else {
                    conflicts++;
                }
            }
            Response current = api().get("/admin/clients/" + id);
            if (renamed == 200) {
                assertEquals(name, current.path("client_name"), "a successful rename was lost");
            }
            if (retimed == 200) {
                assertEquals(ttl, (int) current.path("access_token_ttl"), "a successful TTL change was lost");
            }
        }
        long after = Long.parseLong(query("SELECT version FROM token_service.client WHERE client_id = ?", id).trim());
        assertEquals(successes, after - before, successes + " successes, " + conflicts + " conflicts");
    }

    private int patchAfter(CyclicBarrier start, String id, String json) {
        try {
            start.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return api().body(json).patch("/admin/clients/" + id).statusCode();
    }

    @Test
    void rotationWithoutGraceRetiresTheOldSecretAtOnce() {
        Response created = register("{}");
        String id = created.path("client_id");
        String oldSecret = created.path("client_secret");
        String newSecret = api().post("/admin/clients/" + id + "/secret").then().statusCode(200)
                .body("client_secret", matchesPattern("[A-Za-z0-9_-]{43}"))
                .extract().path("client_secret");
        clientCredentials(id, newSecret).post("/oauth2/token").then().statusCode(200);
        clientCredentials(id, oldSecret).post("/oauth2/token").then().statusCode(403);
    }

    @Test
    void rotationWithGraceKeepsTheOldSecretUntilTheWindowEnds() throws Exception {
        Response created = register("{}");
        String id = created.path("client_id");
        String oldSecret = created.path("client_secret");
        String newSecret = api().body("{\"previous_secret_valid_for\":3}").post("/admin/clients/" + id + "/secret")
                .then().statusCode(200).body("previous_secret_expires_at", not(nullValue()))
                .extract().path("client_secret");
        clientCredentials(id, newSecret).post("/oauth2/token").then().statusCode(200);
        clientCredentials(id, oldSecret).post("/oauth2/token").then().statusCode(200);
        Thread.sleep(3_500);
        clientCredentials(id, oldSecret).post("/oauth2/token").then().statusCode(403);
        clientCredentials(id, newSecret).post("/oauth2/token").then().statusCode(200);
    }

    @Test
    void atMostTwoSecretsAreValidAtOnce() {
        Response created = register("{}");
        String id = created.path("client_id");
        String first = created.path("client_secret");
        String second = api().body("{\"previous_secret_valid_for\":600}").post("/admin/clients/" + id + "/secret")
                .then().statusCode(200).extract().path("client_secret");
        String third = api().body("{\"previous_secret_valid_for\":600}").post("/admin/clients/" + id + "/secret")
                .then().statusCode(200).extract().path("client_secret");
        clientCredentials(id, first).post("/oauth2/token").then().statusCode(403);
        clientCredentials(id, second).post("/oauth2/token").then().statusCode(200);
        clientCredentials(id, third).post("/oauth2/token").then().statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"previous_secret_valid_for\":-1}", "{\"previous_secret_valid_for\":\"60\"}",
        "{\"previous_secret_valid_for\":2592001}", "{\"grace\":60}"})
    void invalidRotationIs400AndKeepsTheSecret(String json) {
        Response created = register("{}");
        String id = created.path("client_id");
        api().body(json).post("/admin/clients/" + id + "/secret").then().statusCode(400)
                .body("error", equalTo("invalid_client_metadata"));
        clientCredentials(id, created.path("client_secret")).post("/oauth2/token").then().statusCode(200);
    }

    @Test
    void deletedClientGetsNoTokensAndIsGone() {
        Response created = register("{}");
        String id = created.path("client_id");
        api().delete("/admin/clients/" + id).then().statusCode(204);
        clientCredentials(id, created.path("client_secret")).post("/oauth2/token").then().statusCode(403)
                .body("error", equalTo("invalid_client"));
        api().get("/admin/clients/" + id).then().statusCode(404);
        api().delete("/admin/clients/" + id).then().statusCode(404);
    }

    @Test
    void everyChangeIsAuditedWithTheAdminAsActorAndNoSecret() throws Exception {
        Response created = register("{}");
        String id = created.path("client_id");
        api().body("{\"client_name\":\"audited\"}").patch("/admin/clients/" + id).then().statusCode(200);
        String rotated = api().post("/admin/clients/" + id + "/secret").then().statusCode(200).extract().path("client_secret");
        api().delete("/admin/clients/" + id).then().statusCode(204);
        String trail = query("SELECT actor || ' ' || action || ' ' || details FROM token_service.admin_audit "
                + "WHERE client_id = ? ORDER BY id", id);
        assertEquals(adminId + " client.registered secret=generated scope= audience= enabled=true\n"
                + adminId + " client.updated changes={\"client_name\":{\"old\":null,\"new\":\"audited\"}}\n"
                + adminId + " client.secret_rotated previous_secret_valid_for=0 tokens_revoked=false\n"
                + adminId + " client.deleted \n", trail);
        assertFalse(trail.contains((String) created.path("client_secret")));
        assertFalse(trail.contains(rotated));
    }

    @Test
    void aNewSecretAppearsInExactlyOneResponseAndNeverInTheDatabaseOrTheLog() throws Exception {
        try (LogCapture log = LogCapture.install()) {
            Response created = register("{\"client_name\":\"secretive\"}");
            String id = created.path("client_id");
            String secret = created.path("client_secret");
            String rotated = api().post("/admin/clients/" + id + "/secret").then().statusCode(200)
                    .extract().path("client_secret");
            List<String> later = List.of(
                    api().get("/admin/clients/" + id).asString(),
                    api().get("/admin/clients?limit=200").asString(),
                    api().body("{\"client_name\":\"still secretive\"}").patch("/admin/clients/" + id).asString());
            for (String body : later) {
                assertFalse(body.contains(secret) || body.contains(rotated), body);
            }
            String row = query("SELECT c::text FROM token_service.client c WHERE client_id = ?", id);
            String audit = query("SELECT string_agg(a::text, ' ') FROM token_service.admin_audit a WHERE client_id = ?", id);
            for (String value : List.of(secret, rotated)) {
                assertFalse(row.contains(value));
                assertFalse(audit.contains(value));
                assertTrue(log.lines().stream().noneMatch(line -> line.contains(value)), "secret in the log");
            }
            assertTrue(log.lines().stream().anyMatch(line -> line.contains("client.secret_rotated")),
                    "the audit log line was not captured: " + log.lines());
        }
    }

    @Test
    void theApiIsDescribedByOpenApi() {
        io.tokenservice.testing.Management.given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", hasKey("/admin/clients"))
                .body("paths", hasKey("/admin/clients/{clientId}/secret"));
    }
}
