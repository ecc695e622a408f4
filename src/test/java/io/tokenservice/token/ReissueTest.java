package io.tokenservice.token;

import static io.restassured.RestAssured.given;
import static io.tokenservice.testing.TokenRequests.basicRaw;
import static io.tokenservice.testing.TokenRequests.clientCredentials;
import static io.tokenservice.testing.TokenRequests.form;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.testing.AdminTokens;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.Management;
import io.tokenservice.testing.TestClients;
import jakarta.inject.Inject;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reissue window on the wire: a repeat request gets the same token, until anything would make it fail our checks. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class ReissueTest {

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    TestClients clients;
    TestClients.Registered client;
    String admin;

    @Inject
    io.tokenservice.database.ChangeListener changes;

    @Inject
    io.tokenservice.revocation.RevokedTokens revocations;

    @BeforeEach
    void fixtures() throws Exception {
        // Just after the application started, it may still be subscribing and catching up: no reissue until then.
        io.tokenservice.testing.Eventually.within(java.time.Duration.ofSeconds(10), () -> assertTrue(changes.listening()
                && revocations.revokedAtHand("no-such-token").isPresent(), "listening and caught up"));
        clients = new TestClients(dataSource, hasher);
        client = clients.client().scopes("read", "write").audience("https://api.example").register();
        admin = AdminTokens.issued(clients.client().administrator().register());
    }

    private static JsonPath token(TestClients.Registered client, String form) {
        return form("grant_type=client_credentials" + form).header("Authorization", basicRaw(client.clientId(), client.secret()))
                .post("/oauth2/token").then().statusCode(200).extract().jsonPath();
    }

    private static String accessToken(TestClients.Registered client) {
        return token(client, "").getString("access_token");
    }

    private static double metric(String line) {
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith(line)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }

    @Test
    void aRepeatRequestGetsTheSameTokenAndIsCounted() {
        String reissued = "token_service_client_tokens_reissued_total{client_id=\"" + client.clientId() + "\"";
        JsonPath first = token(client, "&scope=read%20write");
        JsonPath again = token(client, "&scope=write%20read");
        assertEquals(first.getString("access_token"), again.getString("access_token"));
        assertEquals("read write", again.getString("scope"));
        assertEquals("Bearer", again.getString("token_type"));
        assertTrue(again.getLong("expires_in") <= first.getLong("expires_in") && again.getLong("expires_in") > 86_000);
        assertEquals(1.0, metric(reissued));

        assertNotEquals(first.getString("access_token"), token(client, "&scope=read").getString("access_token"));
        assertEquals(first.getString("access_token"), token(client, "&scope=read%20write&resource=https://api.example")
                .getString("access_token"), "the audience named is the one it had: the same request");
    }

    @Test
    void aRevokedTokenIsNotHandedOutAgain() throws Exception {
        String first = accessToken(client);
        form("token=" + first).header("Authorization", basicRaw(client.clientId(), client.secret())).post("/oauth2/revoke")
                .then().statusCode(200);
        String fresh = accessToken(client);
        assertNotEquals(first, fresh);
        assertNotEquals(SignedJWT.parse(first).getJWTClaimsSet().getJWTID(), SignedJWT.parse(fresh).getJWTClaimsSet().getJWTID());
        form("token=" + fresh).header("Authorization", basicRaw(client.clientId(), client.secret())).post("/oauth2/introspect")
                .then().statusCode(200).body("active", equalTo(true));
    }

    @Test
    void aChangedClientGetsANewTokenAndAClientMayOptOut() {
        String first = accessToken(client);
        given().header("Authorization", "Bearer " + admin).contentType("application/json").body("{\"reissue\":false}")
                .patch("/admin/clients/" + client.clientId()).then().statusCode(200).body("reissue", equalTo(false));
        String afterChange = accessToken(client);
        assertNotEquals(first, afterChange);
        assertNotEquals(afterChange, accessToken(client), "opted out: every request is signed anew");

        given().header("Authorization", "Bearer " + admin).contentType("application/json").body("{\"reissue\":\"yes\"}")
                .patch("/admin/clients/" + client.clientId()).then().statusCode(400).body("field", equalTo("reissue"));
        for (String share : new String[] {"1.5", "-0.1", "\"half\""}) {
            given().header("Authorization", "Bearer " + admin).contentType("application/json")
                    .body("{\"reissue_min_remaining\":" + share + "}").patch("/admin/clients/" + client.clientId()).then()
                    .statusCode(400).body("field", equalTo("reissue_min_remaining"));
        }
        given().header("Authorization", "Bearer " + admin).contentType("application/json")
                .body("{\"reissue_min_remaining\":0.8}").patch("/admin/clients/" + client.clientId()).then()
                .statusCode(200).body("reissue_min_remaining", equalTo(0.8f));
        given().header("Authorization", "Bearer " + admin).get("/admin/clients/" + client.clientId()).then()
                .statusCode(200).body("reissue", equalTo(false));
    }

    @Test
    void aCutOffEndsTheWindow() {
        String first = accessToken(client);
        given().header("Authorization", "Bearer " + admin).post("/admin/clients/" + client.clientId() + "/revoke-tokens")
                .then().statusCode(204);
        String fresh = accessToken(client);
        assertNotEquals(first, fresh);
        form("token=" + fresh).header("Authorization", basicRaw(client.clientId(), client.secret())).post("/oauth2/introspect")
                .then().statusCode(200).body("active", equalTo(true));
    }

    @Test
    void adminTokensAreAlwaysSignedAnew() {
        TestClients.Registered administrator = clients.client().administrator().register();
        assertNotEquals(AdminTokens.issued(administrator), AdminTokens.issued(administrator));
    }

    @Test
    void aRetiredKeyEndsTheWindow() throws Exception {
        String first = accessToken(client);
        String kid = SignedJWT.parse(first).getHeader().getKeyID();
        given().header("Authorization", "Bearer " + admin).post("/admin/keys/" + kid + "/retire").then().statusCode(200);
        String fresh = accessToken(client);
        assertNotEquals(kid, SignedJWT.parse(fresh).getHeader().getKeyID());
        assertEquals(fresh, clientCredentials(client.clientId(), client.secret()).post("/oauth2/token").then().statusCode(200)
                .extract().path("access_token"), "the new key's token is held in turn");
    }
}
