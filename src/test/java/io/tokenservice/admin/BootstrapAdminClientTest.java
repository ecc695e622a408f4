package io.tokenservice.admin;

import static io.restassured.RestAssured.given;
import static io.tokenservice.testing.TokenRequests.clientCredentials;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import com.nimbusds.jwt.SignedJWT;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.testing.TestClients;
import io.tokenservice.client.secret.VerifiedSecrets;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.Sql;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The bootstrap admin client exists after startup with scope admin, its secret stored only as an Argon2id hash.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@TestProfile(BootstrapAdminClientTest.WithBootstrapAdmin.class)
class BootstrapAdminClientTest {

    static final String ADMIN_ID = "bootstrap-admin";
    static final String ADMIN_SECRET = "bootstrap-admin-secret-a:b+c%d/e";

    public static class WithBootstrapAdmin implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The production Argon2id cost, not the test profile's cheap one: the stored hash's format is checked.
            return Map.of("token-service.bootstrap.admin-client-id", ADMIN_ID,
                    "token-service.bootstrap.admin-client-secret", ADMIN_SECRET,
                    "token-service.hashing.argon2-memory-kib", "19456",
                    "token-service.hashing.argon2-iterations", "2");
        }
    }

    @Inject
    DataSource dataSource;

    @Inject
    BootstrapAdminClient bootstrap;

    @Inject
    VerifiedSecrets verifiedSecrets;

    @Inject
    SecretHasher hasher;

    @Test
    void bootstrapAdminGetsATokenWithScopeAdmin() {
        clientCredentials(ADMIN_ID, ADMIN_SECRET).post("/oauth2/token").then()
                .statusCode(200).body("scope", equalTo("admin"));
    }

    @Test
    void databaseHoldsAnArgon2idHashAndNeverTheSecret() throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT secret_hash, c::text FROM token_service.client c WHERE client_id = ?")) {
            query.setString(1, ADMIN_ID);
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next());
                assertTrue(row.getString(1).startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), row.getString(1));
                assertFalse(row.getString(2).contains(ADMIN_SECRET));
                assertFalse(row.getString(2).contains("bootstrap-admin-secret"));
            }
        }
    }

    @Test
    void bootstrapSecretIsRememberedAsVerifiedSoTheFirstTokenNeedsNoSlowHash() throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "SELECT secret_hash FROM token_service.client WHERE client_id = ?")) {
            query.setString(1, ADMIN_ID);
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next());
                String hash = row.getString(1);
                // On a database where the admin was created before (a restart), the check runs in the background.
                io.tokenservice.testing.Eventually.within(java.time.Duration.ofSeconds(5),
                        () -> assertTrue(verifiedSecrets.contains(ADMIN_ID, ADMIN_SECRET, hash)));
                assertFalse(verifiedSecrets.contains(ADMIN_ID, ADMIN_SECRET + "x", hash));
            }
        }
    }

    @Test
    void restartWithTheSameSecretChangesNothing() throws Throwable {
        assertEquals("was created before; left as it is",
                VertxContextSupport.subscribeAndAwait(() -> bootstrap.ensure(ADMIN_ID, ADMIN_SECRET)));
    }

    @Test
    void creationIsAuditedWithTheBootstrapAsActor() throws Exception {
        assertEquals("bootstrap bootstrap.admin_created scope=admin audience=" + TestClients.adminAudience() + "\n",
                query("SELECT actor || ' ' || action || ' ' || details FROM token_service.admin_audit WHERE client_id = ?",
                        ADMIN_ID));
    }

    // Defect 2: the bootstrap admin's tokens carried the shared default audience.

    @Test
    void bootstrapAdminTokensAreForTheAdminApiOnly() throws Exception {
        String token = clientCredentials(ADMIN_ID, ADMIN_SECRET).post("/oauth2/token").then().statusCode(200)
                .extract().path("access_token");
        assertEquals(List.of(TestClients.adminAudience()), SignedJWT.parse(token).getJWTClaimsSet().getAudience());
        given().header("Authorization", "Bearer " + token).get("/admin/clients").then().statusCode(200);
    }

    // Defect 4: the bootstrap re-created, re-scoped and reset the admin at every restart.

    @Test
    void restartWithANewSecretLeavesTheStoredOne() throws Throwable {
        String id = "rotated-admin-" + UUID.randomUUID();
        assertEquals("created", ensure(id, "first-secret-0123456789-0123456789"));
        assertEquals("was created before; left as it is", ensure(id, "second-secret-0123456789-0123456789"));
        clientCredentials(id, "first-secret-0123456789-0123456789").post("/oauth2/token").then().statusCode(200);
        clientCredentials(id, "second-secret-0123456789-0123456789").post("/oauth2/token").then().statusCode(403);
    }

    @Test
    void anAdminTheOperatorDeletedIsNotRecreated() throws Throwable {
        String id = "deleted-admin-" + UUID.randomUUID();
        ensure(id, SECRET);
        sql("DELETE FROM token_service.client WHERE client_id = ?", id);
        assertEquals("was created before; left as it is", ensure(id, SECRET));
        assertEquals("", query("SELECT client_id FROM token_service.client WHERE client_id = ?", id));
    }

    @Test
    void anAdminTheOperatorDeScopedIsNotReScoped() throws Throwable {
        String id = "descoped-admin-" + UUID.randomUUID();
        ensure(id, SECRET);
        sql("UPDATE token_service.client SET scopes = '{}' WHERE client_id = ?", id);
        ensure(id, SECRET);
        assertEquals("{}\n", query("SELECT scopes::text FROM token_service.client WHERE client_id = ?", id));
    }

    @Test
    void anExistingUnrecordedClientIsRecordedAsItIs() throws Throwable {
        var existing = new TestClients(dataSource, hasher).client().scopes("read").register();
        assertEquals("exists; recorded as the bootstrap admin, left as it is", ensure(existing.clientId(), SECRET));
        assertEquals("{read}\n", query("SELECT scopes::text FROM token_service.client WHERE client_id = ?",
                existing.clientId()));
    }

    @Test
    void enforceModeRestoresADeletedOrChangedAdminAndAuditsIt() throws Throwable {
        String id = "enforced-admin-" + UUID.randomUUID();
        ensure(id, SECRET);
        String before = clientCredentials(id, SECRET).post("/oauth2/token").then().statusCode(200)
                .extract().path("access_token");
        sql("UPDATE token_service.client SET scopes = '{}', audience = '{}' WHERE client_id = ?", id);
        assertEquals("restored (mode enforce)", VertxContextSupport.subscribeAndAwait(
                () -> bootstrap.ensure(id, "another-secret-0123456789-0123456789", TokenServiceConfig.BootstrapMode.ENFORCE)));
        String after = clientCredentials(id, "another-secret-0123456789-0123456789").post("/oauth2/token").then()
                .statusCode(200).body("scope", equalTo("admin")).extract().path("access_token");
        // Restored is a fresh start: the tokens issued before are retired.
        given().header("Authorization", "Bearer " + before).get("/admin/clients").then().statusCode(401);
        given().header("Authorization", "Bearer " + after).get("/admin/clients").then().statusCode(200);
        sql("DELETE FROM token_service.client WHERE client_id = ?", id);
        assertEquals("created", VertxContextSupport.subscribeAndAwait(
                () -> bootstrap.ensure(id, SECRET, TokenServiceConfig.BootstrapMode.ENFORCE)));
        assertTrue(query("SELECT actor || ' ' || action FROM token_service.admin_audit WHERE client_id = ? ORDER BY id", id)
                .contains("bootstrap bootstrap.admin_enforced\nbootstrap bootstrap.admin_created"));
    }

    static final String SECRET = "a-bootstrap-secret-0123456789-0123456789";

    private String ensure(String id, String secret) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> bootstrap.ensure(id, secret));
    }

    private void sql(String statement, String parameter) throws Exception {
        Sql.update(dataSource, statement, parameter);
    }

    private String query(String sql, String parameter) throws Exception {
        return Sql.query(dataSource, sql, parameter);
    }
}
