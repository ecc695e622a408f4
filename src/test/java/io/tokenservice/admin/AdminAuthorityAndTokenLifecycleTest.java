package io.tokenservice.admin;

import static io.restassured.RestAssured.given;
import static io.tokenservice.testing.TokenRequests.basicRaw;
import static io.tokenservice.testing.TokenRequests.form;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.testing.AdminTokens;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.TestClients;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Admin authority is the admin audience plus scope admin, and a client's tokens die with it: disabling,
 * deleting, de-scoping, revoking its tokens or rotating its secret with revoke_tokens retires the tokens it was
 * issued before, at introspection and at the admin API.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class AdminAuthorityAndTokenLifecycleTest {

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    TestClients clients;
    TestClients.Registered resourceServer;
    String adminToken;

    @BeforeEach
    void fixtures() {
        clients = new TestClients(dataSource, hasher);
        resourceServer = clients.client().register();
        adminToken = AdminTokens.issued(clients.client().administrator().register());
    }

    private RequestSpecification api() {
        return given().header("Authorization", "Bearer " + adminToken).contentType("application/json");
    }

    private boolean active(String token) {
        return form("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8))
                .header("Authorization", basicRaw(resourceServer.clientId(), resourceServer.secret()))
                .post("/oauth2/introspect").then().statusCode(200).extract().path("active");
    }

    // Defect 1: a scope named admin was enough.

    @Test
    void clientWithScopeAdminForAnotherAudienceIsRefusedAtTheAdminApi() {
        var lookalike = clients.client().scopes("admin").register();
        given().header("Authorization", "Bearer " + AdminTokens.issued(lookalike)).get("/admin/clients").then()
                .statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer realm=\"token-service\", error=\"invalid_token\""));
    }

    @Test
    void adminTokensLiveAtMostTheAdminTokenTtl() {
        var admin = clients.client().administrator().register();
        form("grant_type=client_credentials").header("Authorization", basicRaw(admin.clientId(), admin.secret()))
                .post("/oauth2/token").then().statusCode(200).body("expires_in", equalTo(900));
    }

    @Test
    void theAdminAudienceIsNeverTheDefaultOfOtherClients() {
        var client = clients.client().scopes("read").register();
        form("grant_type=client_credentials&resource=" + URLEncoder.encode(TestClients.adminAudience(), StandardCharsets.UTF_8))
                .header("Authorization", basicRaw(client.clientId(), client.secret()))
                .post("/oauth2/token").then().statusCode(403).body("error", equalTo("invalid_target"));
    }

    @Test
    void aClientForAnApiAndTheAdminApiGetsTheAdminAudienceOnlyAloneAndOnlyWhenItAsks() throws Exception {
        var both = clients.client().scopes("admin").audience("https://api.example", TestClients.adminAudience()).register();
        String apiToken = AdminTokens.issued(both);
        assertEquals(java.util.List.of("https://api.example"),
                com.nimbusds.jwt.SignedJWT.parse(apiToken).getJWTClaimsSet().getAudience());
        given().header("Authorization", "Bearer " + apiToken).get("/admin/clients").then().statusCode(401);
        String adminOnly = form("grant_type=client_credentials&resource="
                + URLEncoder.encode(TestClients.adminAudience(), StandardCharsets.UTF_8))
                .header("Authorization", basicRaw(both.clientId(), both.secret()))
                .post("/oauth2/token").then().statusCode(200).body("expires_in", equalTo(900)).extract().path("access_token");
        given().header("Authorization", "Bearer " + adminOnly).get("/admin/clients").then().statusCode(200);
        form("grant_type=client_credentials&resource=https%3A%2F%2Fapi.example&resource="
                + URLEncoder.encode(TestClients.adminAudience(), StandardCharsets.UTF_8))
                .header("Authorization", basicRaw(both.clientId(), both.secret()))
                .post("/oauth2/token").then().statusCode(403).body("error", equalTo("invalid_target"));
    }

    // Defect 3: tokens outlived their client.

    @Test
    void disablingAClientRetiresItsTokens() {
        var client = clients.client().register();
        String token = AdminTokens.issued(client);
        assertEquals(true, active(token));
        api().body("{\"enabled\":false}").patch("/admin/clients/" + client.clientId()).then().statusCode(200);
        assertEquals(false, active(token));
    }

    @Test
    void deletingAClientRetiresItsTokens() {
        var client = clients.client().register();
        String token = AdminTokens.issued(client);
        api().delete("/admin/clients/" + client.clientId()).then().statusCode(204);
        assertEquals(false, active(token));
    }

    @Test
    void removingAScopeRetiresItsTokensAndAddingOneDoesNot() {
        var client = clients.client().scopes("read", "write").register();
        String token = AdminTokens.issued(client);
        api().body("{\"scope\":\"read write extra\"}").patch("/admin/clients/" + client.clientId()).then().statusCode(200);
        assertEquals(true, active(token));
        api().body("{\"scope\":\"read\"}").patch("/admin/clients/" + client.clientId()).then().statusCode(200);
        assertEquals(false, active(token));
    }

    @Test
    void removingAnAudienceRetiresItsTokens() {
        var client = clients.client().audience("https://a.example", "https://b.example").register();
        String token = AdminTokens.issued(client);
        api().body("{\"audience\":[\"https://a.example\"]}").patch("/admin/clients/" + client.clientId()).then()
                .statusCode(200);
        assertEquals(false, active(token));
    }

    @Test
    void narrowingTheDefaultAudienceRetiresItsTokens() {
        var client = clients.client().register();
        String token = AdminTokens.issued(client);
        api().body("{\"audience\":[\"https://elsewhere.example\"]}").patch("/admin/clients/" + client.clientId()).then()
                .statusCode(200);
        assertEquals(false, active(token));
    }

    @Test
    void revokingAClientsTokensRetiresThoseIssuedBeforeButNotAfter() {
        var client = clients.client().register();
        String before = AdminTokens.issued(client);
        api().post("/admin/clients/" + client.clientId() + "/revoke-tokens").then().statusCode(204);
        String after = AdminTokens.issued(client);
        assertEquals(false, active(before));
        assertEquals(true, active(after));
    }

    // Issue 18, point 1: a client registered within the current second got tokens whose iat was the next second.

    @Test
    void aNewClientsFirstTokensAreNeverIssuedAheadOfTheClock() throws Exception {
        for (int i = 0; i < 3; i++) {
            var registered = api().body("{\"scope\":\"read\"}").post("/admin/clients").then().statusCode(201).extract();
            String token = form("grant_type=client_credentials")
                    .header("Authorization", basicRaw(registered.path("client_id"), registered.path("client_secret")))
                    .post("/oauth2/token").then().statusCode(200).extract().path("access_token");
            long now = java.time.Instant.now().getEpochSecond();
            // A stock verifier without leeway, as PyJWT and others are by default: iat must not be in the future.
            org.jose4j.jwt.JwtClaims claims = new org.jose4j.jwt.consumer.JwtConsumerBuilder()
                    .setSkipSignatureVerification().setSkipDefaultAudienceValidation().setAllowedClockSkewInSeconds(0)
                    .setIssuedAtRestrictions(0, 60).build().processToClaims(token);
            long iat = claims.getIssuedAt().getValue();
            org.junit.jupiter.api.Assertions.assertTrue(iat <= now, "iat " + iat + " is ahead of the clock (" + now + ")");
            assertEquals(true, active(token));
        }
    }

    @Test
    void aClientRegisteredAgainUnderADeletedIdDoesNotHonourTheDeletedOnesTokens() {
        String id = "reused-" + System.nanoTime();
        String first = api().body("{\"client_id\":\"" + id + "\"}").post("/admin/clients").then().statusCode(201)
                .extract().path("client_secret");
        String earlier = form("grant_type=client_credentials").header("Authorization", basicRaw(id, first))
                .post("/oauth2/token").then().statusCode(200).extract().path("access_token");
        api().delete("/admin/clients/" + id).then().statusCode(204);
        String second = api().body("{\"client_id\":\"" + id + "\"}").post("/admin/clients").then().statusCode(201)
                .extract().path("client_secret");
        String later = form("grant_type=client_credentials").header("Authorization", basicRaw(id, second))
                .post("/oauth2/token").then().statusCode(200).extract().path("access_token");
        assertEquals(false, active(earlier));
        assertEquals(true, active(later));
    }

    @Test
    void revokingTheTokensOfAnUnknownClientIs404() {
        api().post("/admin/clients/no-such-client/revoke-tokens").then().statusCode(404).body("error", equalTo("not_found"));
    }

    @Test
    void rotatingASecretWithRevokeTokensRetiresOlderTokensAndWithoutItKeepsThem() {
        var client = clients.client().register();
        String token = AdminTokens.issued(client);
        api().body("{}").post("/admin/clients/" + client.clientId() + "/secret").then().statusCode(200);
        assertEquals(true, active(token));
        api().body("{\"revoke_tokens\":true}").post("/admin/clients/" + client.clientId() + "/secret").then()
                .statusCode(200);
        assertEquals(false, active(token));
    }

    @Test
    void revokeTokensCannotKeepThePreviousSecretValid() {
        var client = clients.client().register();
        api().body("{\"revoke_tokens\":true,\"previous_secret_valid_for\":60}")
                .post("/admin/clients/" + client.clientId() + "/secret").then()
                .statusCode(400).body("field", equalTo("revoke_tokens"));
    }

    @Test
    void revokeTokensMustBeABoolean() {
        var client = clients.client().register();
        api().body("{\"revoke_tokens\":\"yes\"}").post("/admin/clients/" + client.clientId() + "/secret").then()
                .statusCode(400).body("field", equalTo("revoke_tokens"));
    }

    @Test
    void anAdminWhoWasDisabledIsRefusedWithTheTokenItHolds() {
        var other = clients.client().administrator().register();
        String othersToken = AdminTokens.issued(other);
        given().header("Authorization", "Bearer " + othersToken).get("/admin/clients").then().statusCode(200);
        api().body("{\"enabled\":false}").patch("/admin/clients/" + other.clientId()).then().statusCode(200);
        given().header("Authorization", "Bearer " + othersToken).get("/admin/clients").then().statusCode(401);
    }

    @Test
    void anAdminWhoLostTheAdminAudienceIsRefusedWithTheTokenItHolds() throws Exception {
        var other = clients.client().administrator().register();
        String othersToken = AdminTokens.issued(other);
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE token_service.client SET audience = '{}' WHERE client_id = ?")) {
            update.setString(1, other.clientId());
            update.executeUpdate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        // Changed behind the API's back (no tokens-not-before): the admin check still reads the client as it is now.
        io.tokenservice.testing.Eventually.status(401, () -> given().header("Authorization", "Bearer " + othersToken)
                .get("/admin/clients").statusCode());
    }

    // Defect 7: the audit said fields=scope.

    @Test
    void grantingAdminIsAuditedWithTheOldAndNewScope() throws Exception {
        var client = clients.client().scopes("read").register();
        api().body("{\"scope\":\"read admin\"}").patch("/admin/clients/" + client.clientId()).then().statusCode(200);
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "SELECT details FROM token_service.admin_audit WHERE client_id = ? AND action = 'client.updated'")) {
            query.setString(1, client.clientId());
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                assertEquals("changes={\"scope\":{\"old\":\"read\",\"new\":\"read admin\"}}", rows.getString(1));
            }
        }
    }
}
