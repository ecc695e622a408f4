package io.tokenservice.token;

import static io.tokenservice.testing.TokenRequests.basicFormEncoded;
import static io.tokenservice.testing.TokenRequests.basicRaw;
import static io.tokenservice.testing.TokenRequests.clientCredentials;
import static io.tokenservice.testing.TokenRequests.form;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.IndependentVerifier;
import io.tokenservice.testing.TestClients;
import jakarta.inject.Inject;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The successful wire contract of {@code POST /oauth2/token}, against a real PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class TokenEndpointTest {

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    TestClients clients;

    @BeforeEach
    void fixtures() {
        clients = new TestClients(dataSource, hasher);
    }

    private static ExtractableResponse<Response> ok(io.restassured.specification.RequestSpecification request) {
        return request.post("/oauth2/token").then()
                .statusCode(200)
                .contentType("application/json")
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .extract();
    }

    @Test
    void seedRequestWithBasicHeaderGetsBearerTokenWithTheThreeFields() {
        var client = clients.client().register();
        var response = ok(clientCredentials(client.clientId(), client.secret()).accept("application/json"));
        assertEquals("Bearer", response.path("token_type"));
        assertEquals(86400, (int) response.path("expires_in"));
        assertTrue(((String) response.path("access_token")).split("\\.").length == 3);
    }

    @Test
    void clientRegisteredForClientSecretPostAuthenticatesInTheBody() {
        var client = clients.client().clientSecretPost().register();
        ok(form("grant_type=client_credentials&client_id=" + client.clientId() + "&client_secret=" + client.secret()));
    }

    @Test
    void accessTokenVerifiesAgainstThePublishedJwksWithRfc9068Claims() throws Exception {
        var client = clients.client().scopes("read", "write").register();
        var response = ok(clientCredentials(client.clientId(), client.secret()));
        SignedJWT jwt = IndependentVerifier.verify(response.path("access_token"));
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertEquals("RS256", jwt.getHeader().getAlgorithm().getName());
        assertEquals("http://localhost:8080", claims.getIssuer());
        assertEquals(client.clientId(), claims.getSubject());
        assertEquals(client.clientId(), claims.getStringClaim("client_id"));
        assertEquals(List.of("http://localhost:8080"), claims.getAudience());
        assertEquals("read write", claims.getStringClaim("scope"));
        long lifetime = (claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()) / 1000;
        assertEquals((int) response.path("expires_in"), lifetime);
        assertTrue(Math.abs(claims.getIssueTime().getTime() - System.currentTimeMillis()) < 60_000);
        assertTrue(claims.getJWTID() != null && !claims.getJWTID().isEmpty());
    }

    @Test
    void everySignedTokenHasItsOwnJti() throws Exception {
        var client = clients.client().noReissue().register();
        String first = ok(clientCredentials(client.clientId(), client.secret())).path("access_token");
        String second = ok(clientCredentials(client.clientId(), client.secret())).path("access_token");
        assertNotEquals(SignedJWT.parse(first).getJWTClaimsSet().getJWTID(), SignedJWT.parse(second).getJWTClaimsSet().getJWTID());
    }

    @Test
    void aClientNotRegisteredForTheGrantIsUnauthorizedClient() throws Exception {
        var client = clients.client().register();
        io.tokenservice.testing.Sql.update(dataSource,
                "UPDATE token_service.client SET grant_types = '{urn:ietf:params:oauth:grant-type:token-exchange}' "
                        + "WHERE client_id = ?", client.clientId());
        io.tokenservice.testing.TokenRequests.clientCredentials(client.clientId(), client.secret()).post("/oauth2/token").then()
                .statusCode(403).body("error", org.hamcrest.Matchers.equalTo("unauthorized_client"));
    }

    @Test
    void omittedScopeGrantsEveryRegisteredScope() {
        var client = clients.client().scopes("read", "write", "admin").register();
        assertEquals("read write admin", ok(clientCredentials(client.clientId(), client.secret())).path("scope"));
    }

    @Test
    void requestedSubsetOfScopesIsGrantedAndEchoed() throws Exception {
        var client = clients.client().scopes("read", "write").register();
        var response = ok(form("grant_type=client_credentials&scope=write")
                .header("Authorization", basicRaw(client.clientId(), client.secret())));
        assertEquals("write", response.path("scope"));
        assertEquals("write", SignedJWT.parse(response.path("access_token")).getJWTClaimsSet().getStringClaim("scope"));
    }

    @Test
    void clientWithoutScopesGetsTokenWithoutScope() throws Exception {
        var client = clients.client().scopes().register();
        var response = ok(clientCredentials(client.clientId(), client.secret()));
        response.response().then().body("$", not(hasKey("scope")));
        assertNull(SignedJWT.parse(response.path("access_token")).getJWTClaimsSet().getClaim("scope"));
    }

    @Test
    void clientsOwnLifetimeIsTheTokenLifetime() throws Exception {
        var client = clients.client().accessTokenTtl(600).register();
        var response = ok(clientCredentials(client.clientId(), client.secret()));
        assertEquals(600, (int) response.path("expires_in"));
        JWTClaimsSet claims = SignedJWT.parse(response.path("access_token")).getJWTClaimsSet();
        assertEquals(600_000, claims.getExpirationTime().getTime() - claims.getIssueTime().getTime());
    }

    @Test
    void registeredAudienceIsTheTokenAudience() throws Exception {
        var client = clients.client().audience("https://api.example.com", "https://billing.example.com").register();
        String token = ok(clientCredentials(client.clientId(), client.secret())).path("access_token");
        assertEquals(List.of("https://api.example.com", "https://billing.example.com"),
                SignedJWT.parse(token).getJWTClaimsSet().getAudience());
    }

    @Test
    void requestedResourcesNarrowTheAudience() throws Exception {
        var client = clients.client().audience("https://api.example.com", "https://billing.example.com",
                "https://audit.example.com").register();
        String token = ok(clientCredentials(client.clientId(), client.secret()).body("grant_type=client_credentials"
                + "&resource=https%3A%2F%2Fbilling.example.com&resource=https%3A%2F%2Fapi.example.com")).path("access_token");
        assertEquals(List.of("https://billing.example.com", "https://api.example.com"),
                SignedJWT.parse(token).getJWTClaimsSet().getAudience());
    }

    @ParameterizedTest
    @ValueSource(strings = {"se:cr:et", "a+b=c&d", "100%25-%zz", "path/to/secret", "spaced secret ü", "%2B%3A"})
    void secretWithSpecialCharactersWorksSentRaw(String secret) {
        var client = clients.client().secret(secret + "-" + TestClients.randomSecret()).register();
        ok(form("grant_type=client_credentials").header("Authorization", basicRaw(client.clientId(), client.secret())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"se:cr:et", "a+b=c&d", "100%25-%zz", "path/to/secret", "spaced secret ü", "%2B%3A"})
    void secretWithSpecialCharactersWorksSentFormUrlEncoded(String secret) {
        var client = clients.client().secret(secret + "-" + TestClients.randomSecret()).register();
        ok(form("grant_type=client_credentials")
                .header("Authorization", basicFormEncoded(client.clientId(), client.secret())));
    }

    @Test
    void clientIdWithReservedCharactersWorksFormUrlEncodedInBasic() {
        var client = clients.client().clientId("team:payments/" + TestClients.randomSecret()).register();
        ok(form("grant_type=client_credentials")
                .header("Authorization", basicFormEncoded(client.clientId(), client.secret())));
    }

    @Test
    void clientIdInTheBodyMatchingTheBasicHeaderIsAccepted() {
        var client = clients.client().register();
        ok(form("grant_type=client_credentials&client_id=" + client.clientId())
                .header("Authorization", basicRaw(client.clientId(), client.secret())));
    }

    @Test
    void unknownParametersAreIgnored() {
        var client = clients.client().register();
        ok(form("grant_type=client_credentials&foo=bar&foo=baz")
                .header("Authorization", basicRaw(client.clientId(), client.secret())));
    }

    @Test
    void emptyScopeCountsAsOmitted() {
        var client = clients.client().scopes("read").register();
        var response = ok(form("grant_type=client_credentials&scope=")
                .header("Authorization", basicRaw(client.clientId(), client.secret())));
        response.response().then().body("scope", equalTo("read"));
    }

    @Test
    void basicSchemeNameIsCaseInsensitive() {
        var client = clients.client().register();
        ok(form("grant_type=client_credentials")
                .header("Authorization", basicRaw(client.clientId(), client.secret()).replace("Basic", "bAsIc")));
    }
}
