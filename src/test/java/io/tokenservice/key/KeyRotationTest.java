package io.tokenservice.key;

import static io.restassured.RestAssured.given;
import static io.tokenservice.testing.TokenRequests.basicRaw;
import static io.tokenservice.testing.TokenRequests.clientCredentials;
import static io.tokenservice.testing.TokenRequests.form;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.testing.AdminTokens;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.IndependentVerifier;
import io.tokenservice.testing.TestClients;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A rotation while tokens of the old key are still valid, with every duration shortened: the new key is
 * published before it signs, old and new tokens both verify through the JWKS, and the old key leaves the JWKS
 * once its last token has expired.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@TestProfile(KeyRotationTest.ShortLivedKeys.class)
class KeyRotationTest {

    static final int TOKEN_SECONDS = 6;
    static final int PUBLISH_AHEAD_SECONDS = 2;

    public static class ShortLivedKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("token-service.token.ttl", TOKEN_SECONDS + "s",
                    "token-service.token.max-ttl", TOKEN_SECONDS + "s",
                    "token-service.token.clock-skew", "0s",
                    "token-service.keys.publish-ahead", PUBLISH_AHEAD_SECONDS + "s",
                    "token-service.keys.refresh-interval", "500ms");
        }
    }

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    @Test
    void rotatedKeyIsPublishedAheadAndTheOldKeyStaysUntilItsTokensExpire() throws Exception {
        TestClients clients = new TestClients(dataSource, hasher);
        var client = clients.client().register();
        String admin = AdminTokens.issued(clients.client().administrator().register());
        String oldToken = token(client);
        String oldKid = IndependentVerifier.verify(oldToken).getHeader().getKeyID();

        Map<String, Object> rotated = given().header("Authorization", "Bearer " + admin).post("/admin/keys/rotate")
                .then().statusCode(202)
                .body("status", equalTo("pending"))
                .body("alg", equalTo("RS256"))
                .extract().as(Map.class);
        String newKid = (String) rotated.get("kid");
        assertNotEquals(oldKid, newKid);
        assertTrue(Instant.parse((String) rotated.get("activates_at")).isAfter(Instant.now()));

        // Published at once, but not signing yet; a second rotation waits for this one.
        assertEquals(List.of(oldKid, newKid), publishedKids());
        assertEquals(oldKid, IndependentVerifier.verify(token(client)).getHeader().getKeyID());
        given().header("Authorization", "Bearer " + admin).post("/admin/keys/rotate").then()
                .statusCode(409).body("error", equalTo("conflict"));
        given().header("Authorization", "Bearer " + admin).get("/admin/keys").then().statusCode(200)
                .body("source", equalTo("database"))
                .body("keys.kid", equalTo(List.of(oldKid, newKid)))
                .body("keys.status", equalTo(List.of("active", "pending")));

        Thread.sleep(PUBLISH_AHEAD_SECONDS * 1000L + 200);
        String newToken = token(client);
        assertEquals(newKid, IndependentVerifier.verify(newToken).getHeader().getKeyID());
        assertEquals(oldKid, IndependentVerifier.verify(oldToken).getHeader().getKeyID());

        // The old key's last token expires TOKEN_SECONDS after the new key activated; then the key goes.
        long deadline = System.currentTimeMillis() + (TOKEN_SECONDS + 5) * 1000L;
        while (publishedKids().contains(oldKid) && System.currentTimeMillis() < deadline) {
            Thread.sleep(250);
        }
        assertEquals(List.of(newKid), publishedKids());
        assertEquals(newKid, IndependentVerifier.verify(newToken).getHeader().getKeyID());
    }

    /** Defect 3: a compromised key could not be dropped at once (rotation waits publish-ahead, 409 while pending). */
    @Test
    void retiringTheSigningKeyReplacesItAtOnceAndItsTokensDie() throws Exception {
        TestClients clients = new TestClients(dataSource, hasher);
        var client = clients.client().register();
        var adminClient = clients.client().administrator().register();
        String admin = AdminTokens.issued(adminClient);
        String token = token(client);
        String kid = IndependentVerifier.verify(token).getHeader().getKeyID();

        String signing = given().header("Authorization", "Bearer " + admin).post("/admin/keys/" + kid + "/retire")
                .then().statusCode(200)
                .body("retired", equalTo(kid))
                .extract().path("signing");
        assertNotEquals(kid, signing);
        assertFalse(publishedKids().contains(kid));
        assertEquals(signing, IndependentVerifier.verify(token(client)).getHeader().getKeyID());
        form("token=" + token).header("Authorization", basicRaw(client.clientId(), client.secret()))
                .post("/oauth2/introspect").then().statusCode(200).body("active", equalTo(false));
        // The admin token was signed by the retired key too.
        given().header("Authorization", "Bearer " + admin).get("/admin/keys").then().statusCode(401);

        String freshAdmin = AdminTokens.issued(adminClient);
        given().header("Authorization", "Bearer " + freshAdmin).post("/admin/keys/no-such-kid/retire").then()
                .statusCode(404).body("error", equalTo("not_found"));
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT details FROM token_service.admin_audit WHERE action = 'key.retired'")) {
            assertTrue(rows.next());
            assertEquals("kid=" + kid + " replaced_by=" + signing, rows.getString(1));
        }
    }

    @Test
    void jwksMayBeCachedForPublishAheadLessTheRefreshInterval() {
        // publish-ahead 2 s - refresh-interval 0.5 s, in whole seconds
        given().get("/.well-known/jwks.json").then().statusCode(200)
                .header("Cache-Control", equalTo("public, max-age=1"));
    }

    private static String token(TestClients.Registered client) {
        return clientCredentials(client.clientId(), client.secret()).post("/oauth2/token")
                .then().statusCode(200).extract().path("access_token");
    }

    private static List<String> publishedKids() {
        return given().get("/.well-known/jwks.json").then().statusCode(200).extract().jsonPath().getList("keys.kid");
    }
}
