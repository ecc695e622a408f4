package io.tokenservice.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.key.SigningKeys;
import io.tokenservice.testing.AdminTokens;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.TestClients;
import jakarta.inject.Inject;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The admin API's RFC 6750 bearer-token matrix: only this service's valid tokens with scope admin get in. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class AdminAuthenticationTest {

    static final String ISSUER = "http://localhost:8080";

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    @Inject
    SigningKeys keys;

    private void unauthorized(String authorization, String challengeStart) {
        var request = given();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        request.get("/admin/clients").then()
                .statusCode(401)
                .header("WWW-Authenticate", startsWith(challengeStart))
                .header("Cache-Control", "no-store");
    }

    @Test
    void noTokenIs401WithABareBearerChallenge() {
        given().get("/admin/clients").then()
                .statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"token-service\""));
    }

    @Test
    void basicCredentialsAre401() {
        unauthorized("Basic YWRtaW46YWRtaW4=", "Bearer realm=\"token-service\"");
    }

    @Test
    void malformedBearerTokenIs401() {
        unauthorized("Bearer not a token", "Bearer realm=\"token-service\"");
    }

    @Test
    void garbageJwtIs401InvalidToken() {
        unauthorized("Bearer abc.def.ghi", "Bearer realm=\"token-service\", error=\"invalid_token\"");
    }

    @Test
    void tokenSignedByAnotherKeyIs401InvalidToken() throws Exception {
        String token = AdminTokens.forged(keys.active(), ISSUER, "admin", Instant.now().plusSeconds(600), "at+jwt",
                AdminTokens.strangersKey());
        unauthorized("Bearer " + token, "Bearer realm=\"token-service\", error=\"invalid_token\"");
    }

    @Test
    void expiredTokenIs401InvalidToken() {
        String token = AdminTokens.forged(keys.active(), ISSUER, "admin", Instant.now().minusSeconds(120), "at+jwt",
                keys.active().privateKey());
        unauthorized("Bearer " + token, "Bearer realm=\"token-service\", error=\"invalid_token\"");
    }

    @Test
    void tokenOfAForeignIssuerIs401InvalidToken() {
        String token = AdminTokens.forged(keys.active(), "https://evil.example", "admin", Instant.now().plusSeconds(600),
                "at+jwt", keys.active().privateKey());
        unauthorized("Bearer " + token, "Bearer realm=\"token-service\", error=\"invalid_token\"");
    }

    @Test
    void tokenOfAnotherJwtTypeIs401InvalidToken() {
        // at+jwt and JWT (for clients registered for it) are access tokens; a DPoP proof, say, is not.
        String token = AdminTokens.forged(keys.active(), ISSUER, "admin", Instant.now().plusSeconds(600), "dpop+jwt",
                keys.active().privateKey());
        unauthorized("Bearer " + token, "Bearer realm=\"token-service\", error=\"invalid_token\"");
    }

    @Test
    void adminAudienceTokenWithoutAdminScopeIs403InsufficientScope() {
        var client = new TestClients(dataSource, hasher).client().scopes("read", "write")
                .audience(TestClients.adminAudience()).register();
        given().header("Authorization", "Bearer " + AdminTokens.issued(client)).get("/admin/clients").then()
                .statusCode(403)
                .header("WWW-Authenticate", startsWith("Bearer realm=\"token-service\", error=\"insufficient_scope\""))
                .body("error", equalTo("insufficient_scope"));
    }

    @Test
    void validAdminTokenIsAccepted() {
        var admin = new TestClients(dataSource, hasher).client().administrator().register();
        given().header("Authorization", "Bearer " + AdminTokens.issued(admin)).get("/admin/clients").then()
                .statusCode(200);
    }

    @Test
    void anAdminRegisteredForTheJwtTypeIsAccepted() throws Exception {
        var admin = new TestClients(dataSource, hasher).client().administrator().accessTokenTyp("JWT").register();
        String token = AdminTokens.issued(admin);
        org.junit.jupiter.api.Assertions.assertEquals("JWT",
                com.nimbusds.jwt.SignedJWT.parse(token).getHeader().getType().getType());
        given().header("Authorization", "Bearer " + token).get("/admin/clients").then().statusCode(200);
    }

    @Test
    void tokenEndpointAndJwksNeedNoBearerToken() {
        given().get("/.well-known/jwks.json").then().statusCode(200);
    }
}
