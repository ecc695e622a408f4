package io.tokenservice.admin;

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
import io.tokenservice.client.secret.VerifiedSecrets;
import io.tokenservice.testing.EmbeddedPostgresResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
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
                assertTrue(verifiedSecrets.contains(ADMIN_ID, ADMIN_SECRET, row.getString(1)));
                assertFalse(verifiedSecrets.contains(ADMIN_ID, ADMIN_SECRET + "x", row.getString(1)));
            }
        }
    }

    @Test
    void restartWithTheSameSecretChangesNothing() throws Throwable {
        assertEquals("is up to date", VertxContextSupport.subscribeAndAwait(() -> bootstrap.ensure(ADMIN_ID, ADMIN_SECRET)));
    }

    @Test
    void restartWithANewSecretReplacesTheOldOne() throws Throwable {
        String id = "rotated-admin";
        assertEquals("created", VertxContextSupport.subscribeAndAwait(() -> bootstrap.ensure(id, "first-secret-0123456789")));
        assertEquals("updated", VertxContextSupport.subscribeAndAwait(() -> bootstrap.ensure(id, "second-secret-0123456789")));
        clientCredentials(id, "first-secret-0123456789").post("/oauth2/token").then().statusCode(403);
        clientCredentials(id, "second-secret-0123456789").post("/oauth2/token").then()
                .statusCode(200).body("scope", equalTo("admin"));
    }
}
