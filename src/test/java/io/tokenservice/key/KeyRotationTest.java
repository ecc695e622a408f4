package io.tokenservice.key;

import static io.restassured.RestAssured.given;
import static io.tokenservice.testing.TokenRequests.clientCredentials;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
