package io.tokenservice.exchange;

import static io.tokenservice.testing.TokenRequests.basicRaw;
import static io.tokenservice.testing.TokenRequests.form;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.testing.AdminTokens;
import io.tokenservice.testing.ClientAssertions;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.Sql;
import io.tokenservice.testing.TestClients;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Transaction tokens (draft-ietf-oauth-transaction-tokens-10) through token exchange: a short-lived token for the
 * trust domain that carries the transaction's subject, purpose and context down the call chain, replaced (never
 * widened) on the way, and never taken for an access token.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class TransactionTokensTest {

    static final String TRUST_DOMAIN = "spiffe://trust-domain.test";

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    TestClients clients;
    TestClients.Registered gateway;
    TestClients.Registered edge;

    @BeforeEach
    void fixtures() throws Exception {
        clients = new TestClients(dataSource, hasher);
        gateway = clients.client().scopes("orders:read", "orders:write").audience("https://edge.example").register();
        edge = allowed(clients.client().scopes("orders:read", "orders:write").register(), true);
    }

    private TestClients.Registered allowed(TestClients.Registered client, boolean transactionTokens) throws Exception {
        Sql.update(dataSource, "UPDATE token_service.client SET grant_types = ?::text[], exchange_subject_audiences = "
                + "'{https://edge.example}', transaction_tokens = ? WHERE client_id = ?",
                "{client_credentials," + TokenTypes.GRANT + "}", transactionTokens, client.clientId());
        return client;
    }

    private String accessToken(String scope) {
        return form("grant_type=client_credentials&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8))
                .header("Authorization", basicRaw(gateway.clientId(), gateway.secret())).post("/oauth2/token").then()
                .statusCode(200).extract().path("access_token");
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static ValidatableResponse txn(TestClients.Registered client, String subject, String subjectType,
            String more) {
        return form("grant_type=" + encoded(TokenTypes.GRANT) + "&requested_token_type=" + encoded(TokenTypes.TXN_TOKEN)
                + "&subject_token=" + encoded(subject) + "&subject_token_type=" + encoded(subjectType) + more)
                .header("Authorization", basicRaw(client.clientId(), client.secret())).post("/oauth2/token").then();
    }

    private static final String FOR_THE_DOMAIN = "&audience=" + URLEncoder.encode(TRUST_DOMAIN, StandardCharsets.UTF_8);

    @Test
    void aTransactionTokenCarriesTheSubjectThePurposeAndTheContext() throws Exception {
        String context = "{\"req_ip\":\"198.51.100.7\",\"authn\":\"urn:example:mfa\"}";
        String details = "{\"action\":\"checkout\",\"order\":42}";
        var response = txn(edge, accessToken("orders:read orders:write"), TokenTypes.ACCESS_TOKEN, FOR_THE_DOMAIN
                + "&scope=orders:write&request_context=" + encoded(context) + "&request_details=" + encoded(details))
                .statusCode(200)
                .body("token_type", equalTo("N_A"))
                .body("issued_token_type", equalTo(TokenTypes.TXN_TOKEN))
                .header("Cache-Control", "no-store")
                .extract();
        SignedJWT jwt = SignedJWT.parse(response.path("access_token"));
        assertEquals("txntoken+jwt", jwt.getHeader().getType().getType());
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertEquals(List.of(TRUST_DOMAIN), claims.getAudience());
        assertEquals(gateway.clientId(), claims.getSubject());
        assertEquals("orders:write", claims.getStringClaim("scope"));
        assertEquals(edge.clientId(), claims.getStringClaim("req_wl"));
        UUID.fromString(claims.getStringClaim("txn"));
        assertEquals(Map.of("req_ip", "198.51.100.7", "authn", "urn:example:mfa"), claims.getJSONObjectClaim("rctx"));
        assertEquals("checkout", claims.getJSONObjectClaim("tctx").get("action"));
        long lifetime = claims.getExpirationTime().getTime() / 1000 - claims.getIssueTime().getTime() / 1000;
        assertTrue(lifetime <= 300, "a transaction token lives minutes: " + lifetime + " s");
        assertEquals(lifetime, ((Number) response.path("expires_in")).longValue());
    }

    @Test
    void aReplacementKeepsTheTransactionItsSubjectAndContextAndOnlyNarrows() throws Exception {
        String first = txn(edge, accessToken("orders:read orders:write"), TokenTypes.ACCESS_TOKEN, FOR_THE_DOMAIN
                + "&scope=" + encoded("orders:read orders:write") + "&request_context=" + encoded("{\"req_ip\":\"203.0.113.9\"}"))
                .statusCode(200).extract().path("access_token");
        TestClients.Registered downstream = allowed(clients.client().scopes("orders:read", "orders:write").register(), true);
        String replaced = txn(downstream, first, TokenTypes.TXN_TOKEN, FOR_THE_DOMAIN + "&scope=orders:read")
                .statusCode(200).body("issued_token_type", equalTo(TokenTypes.TXN_TOKEN)).extract().path("access_token");
        JWTClaimsSet before = SignedJWT.parse(first).getJWTClaimsSet();
        JWTClaimsSet after = SignedJWT.parse(replaced).getJWTClaimsSet();
        assertEquals(before.getStringClaim("txn"), after.getStringClaim("txn"));
        assertEquals(before.getSubject(), after.getSubject());
        assertEquals(before.getJSONObjectClaim("rctx"), after.getJSONObjectClaim("rctx"));
        assertEquals("orders:read", after.getStringClaim("scope"));
        assertEquals(downstream.clientId(), after.getStringClaim("req_wl"));
        assertTrue(!after.getExpirationTime().after(before.getExpirationTime()));
        txn(downstream, replaced, TokenTypes.TXN_TOKEN, FOR_THE_DOMAIN + "&scope=" + encoded("orders:read orders:write"))
                .statusCode(403).body("error", equalTo("invalid_scope"));
    }

    @Test
    void onlyAClientRegisteredForTransactionTokensMayAsk() throws Exception {
        TestClients.Registered notAllowed = allowed(clients.client().register(), false);
        txn(notAllowed, accessToken("orders:read"), TokenTypes.ACCESS_TOKEN, FOR_THE_DOMAIN + "&scope=orders:read")
                .statusCode(403).body("error", equalTo("unauthorized_client"));
    }

    @Test
    void theAudienceIsTheTrustDomainAlone() {
        String subject = accessToken("orders:read");
        txn(edge, subject, TokenTypes.ACCESS_TOKEN, "&scope=orders:read").statusCode(403)
                .body("error", equalTo("invalid_target"));
        txn(edge, subject, TokenTypes.ACCESS_TOKEN, "&scope=orders:read&audience=https%3A%2F%2Fother.example")
                .statusCode(403).body("error", equalTo("invalid_target"));
        txn(edge, subject, TokenTypes.ACCESS_TOKEN, FOR_THE_DOMAIN + "&scope=orders:read&resource=https%3A%2F%2Fx.example")
                .statusCode(403).body("error", equalTo("invalid_target"));
    }

    @Test
    void thePurposeIsRequiredAndWithinTheSubjectsScope() {
        String subject = accessToken("orders:read");
        txn(edge, subject, TokenTypes.ACCESS_TOKEN, FOR_THE_DOMAIN).statusCode(403).body("error", equalTo("invalid_request"));
        txn(edge, subject, TokenTypes.ACCESS_TOKEN, FOR_THE_DOMAIN + "&scope=orders:write").statusCode(403)
                .body("error", equalTo("invalid_scope"));
    }

    @Test
    void aRequestContextThatIsNoJsonObjectIsInvalidRequest() {
        txn(edge, accessToken("orders:read"), TokenTypes.ACCESS_TOKEN, FOR_THE_DOMAIN + "&scope=orders:read"
                + "&request_context=" + encoded("[1,2]")).statusCode(403).body("error", equalTo("invalid_request"));
    }

    @Test
    void aTransactionTokenIsNeverTakenForAnAccessToken() throws Exception {
        String admin = AdminTokens.issued(clients.client().administrator().register());
        String txn = txn(edge, accessToken("orders:read"), TokenTypes.ACCESS_TOKEN, FOR_THE_DOMAIN + "&scope=orders:read")
                .statusCode(200).extract().path("access_token");
        RestAssured.given().header("Authorization", "Bearer " + txn).get("/admin/clients").then().statusCode(401);
        RestAssured.given().header("Authorization", "Bearer " + admin).get("/admin/clients").then().statusCode(200);
        // A resource server that only checks active never takes it for an access token; one that expects it, says so.
        assertEquals(false, introspect(txn, "").get("active"));
        assertEquals(false, introspect(txn, "access_token").get("active"));
        Map<String, Object> expected = introspect(txn, "txn_token");
        assertEquals(true, expected.get("active"));
        assertEquals("N_A", expected.get("token_type"));
        assertEquals(TokenTypes.TXN_TOKEN, expected.get("issued_token_type"));
    }

    private Map<String, Object> introspect(String token, String hint) throws Exception {
        var resourceServer = clients.client().register();
        return form("token=" + encoded(token) + (hint.isEmpty() ? "" : "&token_type_hint=" + hint))
                .header("Authorization", basicRaw(resourceServer.clientId(), resourceServer.secret()))
                .post("/oauth2/introspect").then().statusCode(200).extract().jsonPath().getMap("$");
    }

    @Test
    void aTransactionTokenDiesWithTheClientOfItsSubjectAndItsRequesterMayRevokeIt() throws Exception {
        String admin = AdminTokens.issued(clients.client().administrator().register());
        String txn = txn(edge, accessToken("orders:read"), TokenTypes.ACCESS_TOKEN, FOR_THE_DOMAIN + "&scope=orders:read")
                .statusCode(200).extract().path("access_token");
        assertEquals(true, introspect(txn, "txn_token").get("active"));
        RestAssured.given().header("Authorization", "Bearer " + admin).post("/admin/clients/" + gateway.clientId()
                + "/revoke-tokens").then().statusCode(204);
        assertEquals(false, introspect(txn, "txn_token").get("active"));
        TestClients.Registered downstream = allowed(clients.client().scopes("orders:read").register(), true);
        txn(downstream, txn, TokenTypes.TXN_TOKEN, FOR_THE_DOMAIN + "&scope=orders:read").statusCode(403)
                .body("error", equalTo("invalid_request"));

        String another = txn(edge, accessToken("orders:read"), TokenTypes.ACCESS_TOKEN, FOR_THE_DOMAIN
                + "&scope=orders:read").statusCode(200).extract().path("access_token");
        form("token=" + encoded(another)).header("Authorization", basicRaw(edge.clientId(), edge.secret()))
                .post("/oauth2/revoke").then().statusCode(200);
        assertEquals(false, introspect(another, "txn_token").get("active"));
    }

    @Test
    void thePurposeIsWithinTheRequestingClientsScopeToo() throws Exception {
        // The gateway's token may write orders; a workload that may only read cannot mint a transaction to write.
        TestClients.Registered reader = allowed(clients.client().scopes("orders:read").register(), true);
        txn(reader, accessToken("orders:read orders:write"), TokenTypes.ACCESS_TOKEN, FOR_THE_DOMAIN
                + "&scope=orders:write").statusCode(403).body("error", equalTo("invalid_scope"));
    }

    @Test
    void aRequestContextWithANullTooDeepOrTooLongIsInvalidRequest() {
        String subject = accessToken("orders:read");
        String deep = "[".repeat(1000) + "]".repeat(1000);
        for (String context : List.of("{\"ip\":null}", "{\"a\":[1,{\"b\":null}]}", "{\"a\":" + deep + "}",
                "{\"a\":\"" + "x".repeat(5000) + "\"}", "{\"a\":1e400}")) {
            txn(edge, subject, TokenTypes.ACCESS_TOKEN, FOR_THE_DOMAIN + "&scope=orders:read&request_context="
                    + encoded(context)).statusCode(403).body("error", equalTo("invalid_request"));
        }
        String nested = "{\"a\":{\"b\":[1,2.5,true,\"c\",{\"d\":[]}]}}";
        txn(edge, subject, TokenTypes.ACCESS_TOKEN, FOR_THE_DOMAIN + "&scope=orders:read&request_details="
                + encoded(nested)).statusCode(200);
    }

    @Test
    void aTrustedIssuersTokenWithoutScopeCannotBeTheSubject() throws Exception {
        String admin = AdminTokens.issued(clients.client().administrator().register());
        RSAKey key = ClientAssertions.rsa("k1");
        String name = "txn-" + UUID.randomUUID().toString().substring(0, 8);
        String issuer = "https://" + name + ".example";
        RestAssured.given().header("Authorization", "Bearer " + admin).contentType("application/json")
                .body("{\"name\":\"" + name + "\",\"issuer\":\"" + issuer + "\",\"jwks\":" + ClientAssertions.jwks(key)
                        + ",\"allow_reuse\":true}").post("/admin/trusted-issuers").then().statusCode(201);
        Sql.update(dataSource, "UPDATE token_service.client SET exchange_trusted_issuers = ?::text[] WHERE client_id = ?",
                "{" + name + "}", edge.clientId());
        Instant now = Instant.now();
        String workload = ClientAssertions.sign(key, JWSAlgorithm.RS256, new JWTClaimsSet.Builder().issuer(issuer)
                .subject("system:serviceaccount:shop:api").audience(ClientAssertions.tokenEndpoint())
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600))).build());
        // §13.14: a subject token whose scope is unknown is not taken as unconstrained.
        txn(edge, workload, TokenTypes.JWT, FOR_THE_DOMAIN + "&scope=orders:read").statusCode(403)
                .body("error", equalTo("invalid_scope"));
        String scoped = ClientAssertions.sign(key, JWSAlgorithm.RS256, new JWTClaimsSet.Builder().issuer(issuer)
                .subject("system:serviceaccount:shop:api").audience(ClientAssertions.tokenEndpoint()).claim("scope", "orders:read")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600))).build());
        txn(edge, scoped, TokenTypes.JWT, FOR_THE_DOMAIN + "&scope=orders:read").statusCode(200)
                .body("issued_token_type", equalTo(TokenTypes.TXN_TOKEN));
    }
}
