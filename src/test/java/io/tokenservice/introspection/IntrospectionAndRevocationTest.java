package io.tokenservice.introspection;

import static io.restassured.RestAssured.given;
import static io.tokenservice.testing.TokenRequests.basicRaw;
import static io.tokenservice.testing.TokenRequests.form;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jwt.SignedJWT;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.key.SigningKeys;
import io.tokenservice.testing.AdminTokens;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.TestClients;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /oauth2/introspect} (RFC 7662) and {@code POST /oauth2/revoke} (RFC 7009) on one replica. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class IntrospectionAndRevocationTest {

    static final String ISSUER = "http://localhost:8080";

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    @Inject
    SigningKeys keys;

    TestClients clients;
    TestClients.Registered owner;
    TestClients.Registered resourceServer;

    @BeforeEach
    void fixtures() {
        clients = new TestClients(dataSource, hasher);
        owner = clients.client().scopes("read", "write").audience("https://api.example.com").register();
        resourceServer = clients.client().register();
    }

    private static String tokenOf(TestClients.Registered client) {
        return AdminTokens.issued(client);
    }

    private static ValidatableResponse post(String path, TestClients.Registered caller, String token) {
        return form("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&token_type_hint=access_token")
                .header("Authorization", basicRaw(caller.clientId(), caller.secret()))
                .post(path).then()
                .header("Cache-Control", "no-store");
    }

    private static ValidatableResponse introspect(TestClients.Registered caller, String token) {
        return post("/oauth2/introspect", caller, token).statusCode(200).contentType("application/json");
    }

    @Test
    void activeTokenIsIntrospectedWithItsClaims() throws Exception {
        String token = tokenOf(owner);
        var claims = SignedJWT.parse(token).getJWTClaimsSet();
        introspect(resourceServer, token)
                .body("active", equalTo(true))
                .body("token_type", equalTo("Bearer"))
                .body("client_id", equalTo(owner.clientId()))
                .body("sub", equalTo(owner.clientId()))
                .body("scope", equalTo("read write"))
                .body("aud", equalTo("https://api.example.com"))
                .body("iss", equalTo(ISSUER))
                .body("jti", equalTo(claims.getJWTID()))
                .body("exp", equalTo((int) (claims.getExpirationTime().getTime() / 1000)))
                .body("iat", equalTo((int) (claims.getIssueTime().getTime() / 1000)));
    }

    @Test
    void callerMayAuthenticateInTheBody() {
        var post = clients.client().clientSecretPost().register();
        form("token=" + tokenOf(owner) + "&client_id=" + post.clientId() + "&client_secret=" + post.secret())
                .post("/oauth2/introspect").then().statusCode(200).body("active", equalTo(true));
    }

    @Test
    void malformedTokenIsInactiveAndNothingElse() {
        introspect(resourceServer, "not.a.jwt").body("$", aMapWithSize(1)).body("active", equalTo(false));
    }

    @Test
    void tokenSignedByAStrangerIsInactive() throws Exception {
        String token = AdminTokens.forged(keys.active(), ISSUER, "read", Instant.now().plusSeconds(600), "at+jwt",
                AdminTokens.strangersKey());
        introspect(resourceServer, token).body("active", equalTo(false));
    }

    @Test
    void expiredTokenIsInactive() {
        String token = AdminTokens.forged(keys.active(), ISSUER, "read", Instant.now().minusSeconds(120), "at+jwt",
                keys.active().privateKey());
        introspect(resourceServer, token).body("active", equalTo(false));
    }

    @Test
    void tokenOfAnotherIssuerIsInactive() {
        String token = AdminTokens.forged(keys.active(), "https://evil.example", "read", Instant.now().plusSeconds(600),
                "at+jwt", keys.active().privateKey());
        introspect(resourceServer, token).body("active", equalTo(false));
    }

    @Test
    void introspectionWithoutClientAuthenticationIsInvalidClient() {
        form("token=" + tokenOf(owner)).post("/oauth2/introspect").then()
                .statusCode(403).body("error", equalTo("invalid_client"));
    }

    @Test
    void introspectionWithAWrongSecretIsInvalidClient() {
        form("token=" + tokenOf(owner)).header("Authorization", basicRaw(resourceServer.clientId(), "wrong"))
                .post("/oauth2/introspect").then().statusCode(403).body("error", equalTo("invalid_client"));
    }

    @Test
    void introspectionWithoutATokenIsInvalidRequest() {
        form("token_type_hint=access_token").header("Authorization", basicRaw(resourceServer.clientId(), resourceServer.secret()))
                .post("/oauth2/introspect").then().statusCode(403).body("error", equalTo("invalid_request"));
    }

    @Test
    void introspectionOfJsonIsInvalidRequest() {
        given().contentType("application/json").body("{\"token\":\"x\"}")
                .header("Authorization", basicRaw(resourceServer.clientId(), resourceServer.secret()))
                .post("/oauth2/introspect").then().statusCode(403).body("error", equalTo("invalid_request"));
    }

    @Test
    void revokedTokenIsInactiveAndStoredUntilItsExp() throws Exception {
        String token = tokenOf(owner);
        post("/oauth2/revoke", owner, token).statusCode(200);
        introspect(resourceServer, token).body("active", equalTo(false));
        var claims = SignedJWT.parse(token).getJWTClaimsSet();
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "SELECT client_id, expires_at FROM token_service.revoked_token WHERE jti = ?")) {
            query.setString(1, claims.getJWTID());
            try (ResultSet row = query.executeQuery()) {
                row.next();
                assertEquals(owner.clientId(), row.getString(1));
                assertEquals(claims.getExpirationTime().toInstant(), row.getTimestamp(2).toInstant());
            }
        }
    }

    @Test
    void revokingTwiceIsStill200() {
        String token = tokenOf(owner);
        post("/oauth2/revoke", owner, token).statusCode(200);
        post("/oauth2/revoke", owner, token).statusCode(200);
    }

    @Test
    void revokingAnUnknownTokenIs200() {
        post("/oauth2/revoke", owner, "not.a.jwt").statusCode(200);
    }

    @Test
    void revokingAnotherClientsTokenIsUnauthorizedClientAndChangesNothing() {
        String token = tokenOf(owner);
        post("/oauth2/revoke", resourceServer, token).statusCode(403).body("error", equalTo("unauthorized_client"));
        introspect(resourceServer, token).body("active", equalTo(true));
    }

    @Test
    void revocationWithoutClientAuthenticationIsInvalidClientAndChangesNothing() {
        String token = tokenOf(owner);
        form("token=" + token).post("/oauth2/revoke").then().statusCode(403).body("error", equalTo("invalid_client"));
        introspect(resourceServer, token).body("active", equalTo(true));
    }

    @Test
    void revokedAdminTokenIsRefusedByTheAdminApi() {
        var admin = clients.client().administrator().register();
        String token = tokenOf(admin);
        given().header("Authorization", "Bearer " + token).get("/admin/clients").then().statusCode(200);
        post("/oauth2/revoke", admin, token).statusCode(200);
        given().header("Authorization", "Bearer " + token).get("/admin/clients").then()
                .statusCode(401).header("WWW-Authenticate", org.hamcrest.Matchers.containsString("invalid_token"));
    }

    @Test
    void revocationKeepsOtherTokensOfTheClientActive() {
        String revoked = tokenOf(owner);
        // Another request (one scope of two): another token, not the one the reissue window holds.
        String other = form("grant_type=client_credentials&scope=read").header("Authorization",
                basicRaw(owner.clientId(), owner.secret())).post("/oauth2/token").then().statusCode(200).extract()
                .path("access_token");
        post("/oauth2/revoke", owner, revoked).statusCode(200);
        introspect(resourceServer, other).body("active", equalTo(true));
    }
}
