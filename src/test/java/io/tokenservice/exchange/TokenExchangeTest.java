package io.tokenservice.exchange;

import static io.tokenservice.testing.TokenRequests.basicRaw;
import static io.tokenservice.testing.TokenRequests.form;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.testing.AdminTokens;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.NodeClients;
import io.tokenservice.testing.Sql;
import io.tokenservice.testing.TestClients;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Token exchange (RFC 8693) on the wire, a three-hop chain in a mesh: the gateway's token goes to orders, which calls
 * payments as the gateway's caller, which calls the ledger the same way; every hop adds an actor. The main flow is
 * driven by the Nimbus OAuth 2.0 SDK's own TokenExchangeGrant, unmodified; each error case of §2.2.2 by hand.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class TokenExchangeTest {

    static final String EXCHANGE = TokenTypes.GRANT;
    static final String ACCESS_TOKEN = TokenTypes.ACCESS_TOKEN;

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    TestClients clients;
    TestClients.Registered gateway;
    TestClients.Registered orders;
    TestClients.Registered payments;
    TestClients.Registered resourceServer;

    @BeforeEach
    void mesh() throws Exception {
        clients = new TestClients(dataSource, hasher);
        gateway = clients.client().scopes("orders:read", "payments:read", "profile").audience("https://orders.example")
                .register();
        orders = exchanger(clients.client().scopes("orders:read", "payments:read").audience("https://payments.example")
                .register(), "https://orders.example");
        payments = exchanger(clients.client().scopes("payments:read").audience("https://ledger.example").register(),
                "https://payments.example");
        resourceServer = clients.client().register();
    }

    /** Registers the client for token exchange of subject tokens sent to these audiences. */
    private TestClients.Registered exchanger(TestClients.Registered client, String... subjectAudiences) throws Exception {
        Sql.update(dataSource, "UPDATE token_service.client SET grant_types = ?::text[], exchange_subject_audiences = ?::text[] "
                + "WHERE client_id = ?", "{client_credentials," + EXCHANGE + "}", "{" + String.join(",", subjectAudiences) + "}", client.clientId());
        return client;
    }

    private static URI tokenEndpoint() {
        return URI.create("http://localhost:" + RestAssured.port + "/oauth2/token");
    }

    private static String token(TestClients.Registered client, String scope) {
        return form("grant_type=client_credentials&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8))
                .header("Authorization", basicRaw(client.clientId(), client.secret()))
                .post("/oauth2/token").then().statusCode(200).extract().path("access_token");
    }

    /** Exchanges {@code subject} with the Nimbus SDK's own grant, as a client library would. */
    private static AccessTokenResponse exchangeWithTheSdk(TestClients.Registered client, String subject, String scope)
            throws Exception {
        TokenExchangeGrant grant = new TokenExchangeGrant(new BearerAccessToken(subject), TokenTypeURI.ACCESS_TOKEN);
        TokenResponse response = TokenResponse.parse(new TokenRequest(tokenEndpoint(),
                new ClientSecretBasic(new ClientID(client.clientId()), new Secret(client.secret())), grant,
                new Scope(scope)).toHTTPRequest().send());
        assertTrue(response.indicatesSuccess(), () -> ((TokenErrorResponse) response).getErrorObject().toJSONObject().toString());
        return response.toSuccessResponse();
    }

    private static ValidatableResponse exchange(TestClients.Registered client, String parameters) {
        return form("grant_type=" + URLEncoder.encode(EXCHANGE, StandardCharsets.UTF_8) + "&" + parameters)
                .header("Authorization", basicRaw(client.clientId(), client.secret())).post("/oauth2/token").then();
    }

    private static String subject(String token, String type) {
        return "subject_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&subject_token_type="
                + URLEncoder.encode(type, StandardCharsets.UTF_8);
    }

    private static JWTClaimsSet claims(String jwt) throws Exception {
        return SignedJWT.parse(jwt).getJWTClaimsSet();
    }

    private Map<String, Object> introspect(String token) {
        return form("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8))
                .header("Authorization", basicRaw(resourceServer.clientId(), resourceServer.secret()))
                .post("/oauth2/introspect").then().statusCode(200).extract().jsonPath().getMap("$");
    }

    @Test
    void aThreeHopChainActsForTheGatewaysCallerAndNamesEveryActor() throws Exception {
        String atGateway = token(gateway, "orders:read payments:read");

        AccessTokenResponse atOrders = exchangeWithTheSdk(orders, atGateway, "payments:read");
        assertEquals(TokenTypeURI.ACCESS_TOKEN, atOrders.getTokens().getAccessToken().getIssuedTokenType());
        JWTClaimsSet toPayments = claims(atOrders.getTokens().getAccessToken().getValue());
        assertEquals(gateway.clientId(), toPayments.getSubject());
        assertEquals(orders.clientId(), toPayments.getStringClaim("client_id"));
        assertEquals(List.of("https://payments.example"), toPayments.getAudience());
        assertEquals("payments:read", toPayments.getStringClaim("scope"));
        assertEquals(Map.of("sub", orders.clientId()), toPayments.getJSONObjectClaim("act"));

        AccessTokenResponse atPayments = exchangeWithTheSdk(payments, atOrders.getTokens().getAccessToken().getValue(),
                "payments:read");
        JWTClaimsSet toLedger = claims(atPayments.getTokens().getAccessToken().getValue());
        assertEquals(gateway.clientId(), toLedger.getSubject());
        assertEquals(payments.clientId(), toLedger.getStringClaim("client_id"));
        assertEquals(List.of("https://ledger.example"), toLedger.getAudience());
        // RFC 8693 §4.1: the outermost act is the current actor, the nested ones the prior actors.
        assertEquals(Map.of("sub", payments.clientId(), "act", Map.of("sub", orders.clientId())),
                toLedger.getJSONObjectClaim("act"));
        // Never longer than the token it was exchanged for.
        assertTrue(!toLedger.getExpirationTime().after(claims(atGateway).getExpirationTime()));

        Map<String, Object> introspected = introspect(atPayments.getTokens().getAccessToken().getValue());
        assertEquals(true, introspected.get("active"));
        assertEquals(Map.of("sub", payments.clientId(), "act", Map.of("sub", orders.clientId())), introspected.get("act"));
    }

    /** Another stock client, unmodified: oauth4webapi's generic grant on Node.js (src/test/node/exchange). */
    @Test
    void aStockNodeClientExchangesTooWithOauth4webapi() throws Exception {
        Map<String, Object> response = NodeClients.run("exchange", "exchange.mjs", "http://localhost:8080",
                "http://localhost:" + RestAssured.port, orders.clientId(), orders.secret(), token(gateway, "orders:read"));
        assertEquals(ACCESS_TOKEN, response.get("issued_token_type"));
        assertEquals("bearer", String.valueOf(response.get("token_type")).toLowerCase(java.util.Locale.ROOT));
        JWTClaimsSet exchanged = claims((String) response.get("access_token"));
        assertEquals(gateway.clientId(), exchanged.getSubject());
        assertEquals(Map.of("sub", orders.clientId()), exchanged.getJSONObjectClaim("act"));
    }

    @Test
    void exchangedTokensDieWithTheSubjectsClientAndWithTheRequestingClient() throws Exception {
        String admin = AdminTokens.issued(clients.client().administrator().register());
        String exchanged = exchangeWithTheSdk(orders, token(gateway, "orders:read"), "orders:read").getTokens()
                .getAccessToken().getValue();
        assertEquals(true, introspect(exchanged).get("active"));
        RestAssured.given().header("Authorization", "Bearer " + admin).post("/admin/clients/" + gateway.clientId()
                + "/revoke-tokens").then().statusCode(204);
        assertEquals(false, introspect(exchanged).get("active"));

        String another = exchangeWithTheSdk(orders, token(gateway, "orders:read"), "orders:read").getTokens()
                .getAccessToken().getValue();
        RestAssured.given().header("Authorization", "Bearer " + admin).post("/admin/clients/" + orders.clientId()
                + "/revoke-tokens").then().statusCode(204);
        assertEquals(false, introspect(another).get("active"));
    }

    @Test
    void aChainDiesWithEveryClientAndEveryTokenAlongIt() throws Exception {
        String admin = AdminTokens.issued(clients.client().administrator().register());
        String atGateway = token(gateway, "orders:read payments:read");
        String atOrders = exchangeWithTheSdk(orders, atGateway, "payments:read").getTokens().getAccessToken().getValue();
        String atPayments = exchangeWithTheSdk(payments, atOrders, "payments:read").getTokens().getAccessToken().getValue();
        assertEquals(true, introspect(atPayments).get("active"));
        // orders, the middle hop, cuts its tokens off: the token payments made from orders' dies too.
        RestAssured.given().header("Authorization", "Bearer " + admin).post("/admin/clients/" + orders.clientId()
                + "/revoke-tokens").then().statusCode(204);
        assertEquals(false, introspect(atOrders).get("active"));
        assertEquals(false, introspect(atPayments).get("active"));

        // The gateway revokes the one token the chain began with: every token made from it dies.
        String first = token(gateway, "orders:read payments:read");
        String second = exchangeWithTheSdk(orders, first, "payments:read").getTokens().getAccessToken().getValue();
        String third = exchangeWithTheSdk(payments, second, "payments:read").getTokens().getAccessToken().getValue();
        assertEquals(true, introspect(third).get("active"));
        form("token=" + URLEncoder.encode(first, StandardCharsets.UTF_8))
                .header("Authorization", basicRaw(gateway.clientId(), gateway.secret())).post("/oauth2/revoke").then()
                .statusCode(200);
        assertEquals(false, introspect(second).get("active"));
        assertEquals(false, introspect(third).get("active"));
        assertEquals(2, ((List<?>) claims(third).getClaim("exchanged_from")).size());
    }

    @Test
    void anExchangedTokenIsNoActorNotEvenForTheClientItWasIssuedTo() throws Exception {
        // orders exchanges a trusted issuer's token for alice: that token has orders' client_id and alice's sub.
        String issuer = trustedIssuer();
        String forAlice = exchange(orders, subject(workload(issuer, "alice"), TokenTypes.JWT)).statusCode(200)
                .extract().path("access_token");
        // As an actor it would say act {"sub": "alice"}: one of our clients, which alice is not.
        exchange(orders, subject(token(gateway, "orders:read"), ACCESS_TOKEN) + "&actor_token="
                + URLEncoder.encode(forAlice, StandardCharsets.UTF_8) + "&actor_token_type="
                + URLEncoder.encode(ACCESS_TOKEN, StandardCharsets.UTF_8)).statusCode(403)
                .body("error", equalTo("invalid_request"));
    }

    @Test
    void anotherIssuersSubjectIsNamedWithItsIssuerAndIsNeverOneOfOurClients() throws Exception {
        String issuer = trustedIssuer();
        String forAlice = exchange(orders, subject(workload(issuer, "alice"), TokenTypes.JWT)).statusCode(200)
                .extract().path("access_token");
        assertEquals("alice", claims(forAlice).getSubject());
        assertEquals(issuer, claims(forAlice).getStringClaim("subject_issuer"));
        // An issuer that lets its users pick names could otherwise mint our gateway.
        exchange(orders, subject(workload(issuer, gateway.clientId()), TokenTypes.JWT)).statusCode(403)
                .body("error", equalTo("invalid_request"));
    }

    /** A trusted issuer whose tokens orders may exchange; its URL. */
    private String trustedIssuer() throws Exception {
        String name = registeredIssuer();
        exchangesTokensOf(orders, name);
        return "https://" + name + ".example";
    }

    /** A trusted issuer signing with IDP_KEY, at https://name.example; its name. */
    private String registeredIssuer() throws Exception {
        String admin = AdminTokens.issued(clients.client().administrator().register());
        String name = "idp-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        RestAssured.given().header("Authorization", "Bearer " + admin).contentType("application/json")
                .body("{\"name\":\"" + name + "\",\"issuer\":\"https://" + name + ".example\",\"jwks\":"
                        + io.tokenservice.testing.ClientAssertions.jwks(IDP_KEY) + ",\"allow_reuse\":true}")
                .post("/admin/trusted-issuers").then().statusCode(201);
        return name;
    }

    private void exchangesTokensOf(TestClients.Registered client, String issuerName) throws Exception {
        Sql.update(dataSource, "UPDATE token_service.client SET exchange_trusted_issuers = ?::text[] WHERE client_id = ?",
                "{" + issuerName + "}", client.clientId());
    }

    private static final com.nimbusds.jose.jwk.RSAKey IDP_KEY = io.tokenservice.testing.ClientAssertions.rsa("idp");

    private static String workload(String issuer, String subject) {
        java.time.Instant now = java.time.Instant.now();
        return io.tokenservice.testing.ClientAssertions.sign(IDP_KEY, com.nimbusds.jose.JWSAlgorithm.RS256,
                new JWTClaimsSet.Builder().issuer(issuer).subject(subject)
                        .audience(io.tokenservice.testing.ClientAssertions.tokenEndpoint()).claim("scope", "orders:read")
                        .issueTime(java.util.Date.from(now)).expirationTime(java.util.Date.from(now.plusSeconds(600))).build());
    }

    @Test
    void anActorTokenOfTheClientItselfNamesTheActor() {
        String actor = token(orders, "orders:read");
        String jwt = exchange(orders, subject(token(gateway, "orders:read"), ACCESS_TOKEN) + "&actor_token="
                + URLEncoder.encode(actor, StandardCharsets.UTF_8) + "&actor_token_type=" + URLEncoder.encode(ACCESS_TOKEN,
                        StandardCharsets.UTF_8)).statusCode(200).body("issued_token_type", equalTo(ACCESS_TOKEN))
                .body("token_type", equalTo("Bearer")).extract().path("access_token");
        assertEquals(orders.clientId(), ((Map<?, ?>) introspect(jwt).get("act")).get("sub"));
    }

    @Test
    void discoveryListsTheGrant() {
        RestAssured.given().get("/.well-known/oauth-authorization-server").then().statusCode(200)
                .body("grant_types_supported", org.hamcrest.Matchers.hasItems("client_credentials", EXCHANGE));
    }

    // RFC 8693 §2.2.2 and the client's policy, one refusal each.

    @Test
    void aClientNotRegisteredForTokenExchangeIsUnauthorizedClient() {
        exchange(gateway, subject(token(gateway, "orders:read"), ACCESS_TOKEN)).statusCode(403)
                .body("error", equalTo("unauthorized_client"));
    }

    @Test
    void aMissingSubjectTokenIsInvalidRequest() {
        exchange(orders, "subject_token_type=" + URLEncoder.encode(ACCESS_TOKEN, StandardCharsets.UTF_8)).statusCode(403)
                .body("error", equalTo("invalid_request"));
        exchange(orders, "subject_token=x").statusCode(403).body("error", equalTo("invalid_request"));
    }

    @Test
    void anUnsupportedTokenTypeIsInvalidRequest() {
        exchange(orders, subject(token(gateway, "orders:read"), "urn:ietf:params:oauth:token-type:saml2")).statusCode(403)
                .body("error", equalTo("invalid_request"));
        exchange(orders, subject(token(gateway, "orders:read"), ACCESS_TOKEN) + "&requested_token_type="
                + URLEncoder.encode("urn:ietf:params:oauth:token-type:refresh_token", StandardCharsets.UTF_8))
                .statusCode(403).body("error", equalTo("invalid_request"));
    }

    @Test
    void anActorTokenWithoutItsTypeIsInvalidRequest() {
        exchange(orders, subject(token(gateway, "orders:read"), ACCESS_TOKEN) + "&actor_token=abc").statusCode(403)
                .body("error", equalTo("invalid_request"));
    }

    @Test
    void aSubjectTokenThatIsNotOursOrNoLongerActiveIsInvalidRequest() throws Exception {
        exchange(orders, subject("not-a-token", ACCESS_TOKEN)).statusCode(403).body("error", equalTo("invalid_request"));
        String revoked = token(gateway, "orders:read");
        form("token=" + URLEncoder.encode(revoked, StandardCharsets.UTF_8))
                .header("Authorization", basicRaw(gateway.clientId(), gateway.secret())).post("/oauth2/revoke").then()
                .statusCode(200);
        exchange(orders, subject(revoked, ACCESS_TOKEN)).statusCode(403).body("error", equalTo("invalid_request"));
    }

    @Test
    void aSubjectTokenNotAddressedToTheClientIsInvalidRequest() throws Exception {
        // payments may exchange tokens sent to https://payments.example, not the gateway's to orders.
        exchange(payments, subject(token(gateway, "payments:read"), ACCESS_TOKEN)).statusCode(403)
                .body("error", equalTo("invalid_request"));
    }

    @Test
    void aScopeWiderThanTheSubjectsOrTheClientsIsInvalidScope() {
        String atGateway = token(gateway, "orders:read");
        exchange(orders, subject(atGateway, ACCESS_TOKEN) + "&scope=payments:read").statusCode(403)
                .body("error", equalTo("invalid_scope"));
        exchange(orders, subject(token(gateway, "profile orders:read"), ACCESS_TOKEN) + "&scope=profile").statusCode(403)
                .body("error", equalTo("invalid_scope"));
    }

    @Test
    void aTargetOutsideTheClientsAudienceIsInvalidTarget() {
        exchange(orders, subject(token(gateway, "orders:read"), ACCESS_TOKEN) + "&audience=https%3A%2F%2Fledger.example")
                .statusCode(403).body("error", equalTo("invalid_target"));
        exchange(orders, subject(token(gateway, "orders:read"), ACCESS_TOKEN) + "&resource=https%3A%2F%2Fledger.example")
                .statusCode(403).body("error", equalTo("invalid_target"));
        exchange(orders, subject(token(gateway, "orders:read"), ACCESS_TOKEN) + "&audience=https%3A%2F%2Fpayments.example")
                .statusCode(200);
    }

    @Test
    void anActorTokenIssuedToAnotherClientIsInvalidRequest() {
        exchange(orders, subject(token(gateway, "orders:read"), ACCESS_TOKEN) + "&actor_token="
                + URLEncoder.encode(token(payments, "payments:read"), StandardCharsets.UTF_8) + "&actor_token_type="
                + URLEncoder.encode(ACCESS_TOKEN, StandardCharsets.UTF_8)).statusCode(403)
                .body("error", equalTo("invalid_request"));
    }

    @Test
    void mayActInTheSubjectTokenIsHonoured() throws Exception {
        io.tokenservice.key.SigningKeys keys = io.quarkus.arc.Arc.container().instance(io.tokenservice.key.SigningKeys.class).get();
        String onlyPayments = mint(keys, Map.of("sub", payments.clientId()));
        exchange(orders, subject(onlyPayments, ACCESS_TOKEN)).statusCode(403).body("error", equalTo("invalid_request"));
        String onlyOrders = mint(keys, Map.of("sub", orders.clientId()));
        exchange(orders, subject(onlyOrders, ACCESS_TOKEN)).statusCode(200);
    }

    /** A token of ours from the gateway to orders, with a may_act claim, signed with the service's key. */
    private String mint(io.tokenservice.key.SigningKeys keys, Map<String, Object> mayAct) throws Exception {
        String plain = token(gateway, "orders:read");
        JWTClaimsSet claims = new JWTClaimsSet.Builder(claims(plain)).claim("may_act", mayAct)
                .jwtID(java.util.UUID.randomUUID().toString()).build();
        io.tokenservice.key.SigningKey key = keys.active();
        return io.smallrye.jwt.build.Jwt.claims(claims.toJSONObject()).jws().keyId(key.kid())
                .algorithm(key.algorithm().jws()).type("at+jwt").sign(key.privateKey());
    }

    @Test
    void aTrustedIssuersTokenIsExchangedOnlyByAClientThatNamesItsIssuer() throws Exception {
        String name = registeredIssuer();
        String workload = workload("https://" + name + ".example", "system:serviceaccount:shop:cart");
        exchange(orders, subject(workload, TokenTypes.JWT)).statusCode(403).body("error", equalTo("invalid_request"));
        exchangesTokensOf(orders, name);
        String exchanged = exchange(orders, subject(workload, TokenTypes.JWT) + "&requested_token_type="
                + URLEncoder.encode(TokenTypes.JWT, StandardCharsets.UTF_8)).statusCode(200)
                .body("issued_token_type", equalTo(TokenTypes.JWT)).extract().path("access_token");
        JWTClaimsSet claims = claims(exchanged);
        assertEquals("system:serviceaccount:shop:cart", claims.getSubject());
        assertEquals("orders:read", claims.getStringClaim("scope"));
        assertEquals(Map.of("sub", orders.clientId()), claims.getJSONObjectClaim("act"));
        java.time.Instant now = java.time.Instant.now();
        String untrusted = io.tokenservice.testing.ClientAssertions.sign(io.tokenservice.testing.ClientAssertions.rsa("k2"),
                com.nimbusds.jose.JWSAlgorithm.RS256, new JWTClaimsSet.Builder().issuer("https://nobody.example")
                        .subject("x").audience(io.tokenservice.testing.ClientAssertions.tokenEndpoint())
                        .issueTime(java.util.Date.from(now)).expirationTime(java.util.Date.from(now.plusSeconds(600))).build());
        exchange(orders, subject(untrusted, TokenTypes.JWT)).statusCode(403).body("error", equalTo("invalid_request"));
    }

    @Test
    void aTransactionTokenPresentedForAnAccessTokenIsInvalidRequest() throws Exception {
        Sql.update(dataSource, "UPDATE token_service.client SET transaction_tokens = true WHERE client_id = ?", orders.clientId());
        String txn = exchange(orders, subject(token(gateway, "orders:read"), ACCESS_TOKEN) + "&requested_token_type="
                + URLEncoder.encode(TokenTypes.TXN_TOKEN, StandardCharsets.UTF_8) + "&audience="
                + URLEncoder.encode(TransactionTokensTest.TRUST_DOMAIN, StandardCharsets.UTF_8) + "&scope=orders:read")
                .statusCode(200).extract().path("access_token");
        exchange(orders, subject(txn, ACCESS_TOKEN)).statusCode(403).body("error", equalTo("invalid_request"));
        exchange(orders, subject(txn, TokenTypes.TXN_TOKEN)).statusCode(403).body("error", equalTo("invalid_request"));
        assertFalse(introspect(txn).isEmpty());
    }
}
