package io.tokenservice.client.assertion;

import static io.restassured.RestAssured.given;
import static io.tokenservice.testing.ClientAssertions.jwks;
import static io.tokenservice.testing.ClientAssertions.sign;
import static io.tokenservice.testing.ClientAssertions.tokenForm;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.tokenservice.client.AuthenticationFailure;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.testing.AdminTokens;
import io.tokenservice.testing.ClientAssertions;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.JwksServer;
import io.tokenservice.testing.Refusals;
import io.tokenservice.testing.Sql;
import io.tokenservice.testing.TestClients;
import io.tokenservice.testing.TokenRequests;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Federated workload identity on the wire, against a real PostgreSQL: a stand-in Kubernetes issuer inside the test
 * (discovery and JWKS over HTTP) signs service-account-shaped tokens with the Nimbus SDK; a stand-in SPIRE signs
 * SVID-shaped ones. Issuers are trusted and clients registered through the admin API; each rule is broken once.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class FederatedWorkloadIdentityTest {

    static final JwksServer PLATFORM = new JwksServer();

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    @Inject
    MeterRegistry registry;

    String adminToken;

    @BeforeEach
    void adminToken() {
        adminToken = AdminTokens.issued(new TestClients(dataSource, hasher).client().administrator().register());
    }

    @AfterAll
    static void stopPlatform() {
        PLATFORM.close();
    }

    /** A stand-in issuer on its own path: its iss, and the key it signs with. */
    record Issuer(String iss, JWK key) {
    }

    /**
     * A Kubernetes-like issuer at {@code /<name>}: discovery at the well-known path naming its JWKS at
     * /openid/v1/jwks, as the API server serves them; trusted through the admin API with {@code extra} members.
     */
    private Issuer kubernetes(String name, String extra) {
        RSAKey key = ClientAssertions.rsa("sa-key-1");
        String iss = PLATFORM.url("/" + name);
        PLATFORM.serve("/" + name + "/.well-known/openid-configuration",
                "{\"issuer\":\"" + iss + "\",\"jwks_uri\":\"" + iss + "/openid/v1/jwks\","
                        + "\"response_types_supported\":[\"id_token\"],\"subject_types_supported\":[\"public\"],"
                        + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}");
        PLATFORM.serve("/" + name + "/openid/v1/jwks", jwks(key));
        trust(name, iss, extra).statusCode(201).body("issuer", equalTo(iss));
        return new Issuer(iss, key);
    }

    private ValidatableResponse trust(String name, String iss, String extra) {
        return admin().body("{\"name\":\"" + name + "\",\"issuer\":\"" + iss + "\"" + extra + "}")
                .post("/admin/trusted-issuers").then();
    }

    private io.restassured.specification.RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + adminToken).contentType("application/json");
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Registers a federated_jwt client for (iss, subject) through the admin API; its client_id. */
    private String register(String iss, String subject) {
        String clientId = unique("workload");
        admin().body("{\"client_id\":\"" + clientId + "\",\"token_endpoint_auth_method\":\"federated_jwt\","
                        + "\"scope\":\"read\",\"federated_credentials\":[{\"issuer\":\"" + iss + "\",\"subject\":\"" + subject + "\"}]}")
                .post("/admin/clients").then().statusCode(201).body("client_secret", nullValue())
                .body("federated_credentials[0].subject", equalTo(subject));
        return clientId;
    }

    /** A projected service-account token as the kubelet mounts it: aud our token endpoint, an hour, a jti. */
    private static JWTClaimsSet.Builder serviceAccountToken(Issuer issuer, String namespace, String account) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer.iss())
                .subject("system:serviceaccount:" + namespace + ":" + account)
                .audience(List.of(ClientAssertions.tokenEndpoint()))
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)))
                .jwtID(UUID.randomUUID().toString())
                .claim("kubernetes.io", Map.of("namespace", namespace,
                        "pod", Map.of("name", account + "-7d9f8", "uid", UUID.randomUUID().toString()),
                        "serviceaccount", Map.of("name", account, "uid", UUID.randomUUID().toString())));
    }

    private static String signed(Issuer issuer, JWTClaimsSet claims) {
        return sign(issuer.key(), issuer.key() instanceof RSAKey ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256, claims);
    }

    private static ValidatableResponse token(String body) {
        return TokenRequests.form(body).post("/oauth2/token").then();
    }

    private static void accepted(String token) {
        token(tokenForm(token)).statusCode(200).body("access_token", notNullValue());
    }

    private void refused(String body, AuthenticationFailure reason) {
        Refusals.refused(registry, body, reason);
    }

    /** Whether a resource server's introspection finds this token active. */
    private boolean active(String token) {
        var resourceServer = new TestClients(dataSource, hasher).client().register();
        return TokenRequests.form("token=" + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8))
                .header("Authorization", TokenRequests.basicRaw(resourceServer.clientId(), resourceServer.secret()))
                .post("/oauth2/introspect").then().statusCode(200).extract().path("active");
    }

    // Issue 18, point 7 (c): removing a federated credential, or the issuer, left the tokens it got alive.

    @Test
    void removingAFederatedCredentialRetiresTheClientsTokens() throws Exception {
        Issuer cluster = kubernetes(unique("cluster"), ",\"allow_reuse\":true");
        String clientId = register(cluster.iss(), "system:serviceaccount:shop:api");
        String token = token(tokenForm(signed(cluster, serviceAccountToken(cluster, "shop", "api").build())))
                .statusCode(200).extract().path("access_token");
        admin().body("{\"federated_credentials\":[{\"issuer\":\"" + cluster.iss() + "\",\"subject\":\"system:serviceaccount:shop:other\"}]}")
                .patch("/admin/clients/" + clientId).then().statusCode(200);
        assertEquals(false, active(token));
    }

    @Test
    void removingATrustedIssuerRetiresTheTokensOfItsClients() throws Exception {
        String name = unique("cluster");
        Issuer cluster = kubernetes(name, ",\"allow_reuse\":true");
        register(cluster.iss(), "system:serviceaccount:shop:api");
        String token = token(tokenForm(signed(cluster, serviceAccountToken(cluster, "shop", "api").build())))
                .statusCode(200).extract().path("access_token");
        String unrelated = new TestClients(dataSource, hasher).client().register().clientId();
        admin().delete("/admin/trusted-issuers/" + name).then().statusCode(204);
        assertEquals(false, active(token));
        org.hamcrest.MatcherAssert.assertThat(io.tokenservice.testing.Sql.query(dataSource,
                "SELECT details FROM token_service.admin_audit WHERE action = 'trusted_issuer.removed' AND details LIKE ?",
                "name=" + name + " %"), org.hamcrest.Matchers.containsString("tokens_revoked_clients=1"));
        assertEquals("0\n", io.tokenservice.testing.Sql.query(dataSource,
                "SELECT tokens_min_version FROM token_service.client WHERE client_id = ?", unrelated));
    }

    // Issue 18, point 7 (d): our own issuer, or a key set URL of another owner, was accepted silently.

    @Test
    void thisServicesOwnIssuerCannotBeTrusted() {
        String own = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("token-service.issuer", String.class);
        trust(unique("self"), own, "").statusCode(400).body("error", equalTo("invalid_client_metadata"))
                .body("error_description", org.hamcrest.Matchers.containsString("own issuer"));
        trust(unique("self"), own + "/", "").statusCode(400);
    }

    @Test
    void aKeySetUrlBelongsToOneIssuerOrClient() {
        String shared = PLATFORM.url("/shared-" + UUID.randomUUID() + "/jwks");
        trust(unique("first"), PLATFORM.url("/" + unique("first")), ",\"jwks_uri\":\"" + shared + "\"").statusCode(201);
        trust(unique("second"), PLATFORM.url("/" + unique("second")), ",\"jwks_uri\":\"" + shared + "\"").statusCode(400)
                .body("error_description", org.hamcrest.Matchers.containsString("Another trusted issuer"));
        admin().body("{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks_uri\":\"" + shared + "\"}")
                .post("/admin/clients").then().statusCode(400)
                .body("error_description", org.hamcrest.Matchers.containsString("trusted issuer"));
        // However it is spelled.
        admin().body("{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks_uri\":\""
                        + shared.replace("http://", "HTTP://").replace("?", "") + "?\"}")
                .post("/admin/clients").then().statusCode(400);
        String clients = PLATFORM.url("/client-keys-" + UUID.randomUUID());
        admin().body("{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks_uri\":\"" + clients + "\"}")
                .post("/admin/clients").then().statusCode(201);
        trust(unique("third"), PLATFORM.url("/" + unique("third")), ",\"jwks_uri\":\"" + clients + "\"").statusCode(400)
                .body("error_description", org.hamcrest.Matchers.containsString("A client"));
    }

    @Test
    void kubernetesServiceAccountTokenGetsATokenAndMayBeReused() throws Exception {
        Issuer cluster = kubernetes(unique("cluster"), ",\"allow_reuse\":true");
        String clientId = register(cluster.iss(), "system:serviceaccount:payments:api");
        String projected = signed(cluster, serviceAccountToken(cluster, "payments", "api").build());
        String first = token(tokenForm(projected)).statusCode(200).extract().path("access_token");
        accepted(projected);
        assertEquals(clientId, com.nimbusds.jwt.JWTParser.parse(first).getJWTClaimsSet().getStringClaim("client_id"));
    }

    @Test
    void spiffeSvidSignedWithEs256AtAJwksUriGetsAToken() {
        ECKey key = ClientAssertions.ec("spire-1");
        String iss = PLATFORM.url("/" + unique("spire"));
        PLATFORM.serve(iss.substring(iss.lastIndexOf('/')) + "/keys", jwks(key));
        trust(iss.substring(iss.lastIndexOf('/') + 1), iss, ",\"jwks_uri\":\"" + iss + "/keys\"").statusCode(201);
        String spiffeId = "spiffe://example.org/ns/payments/sa/api-" + UUID.randomUUID();
        register(iss, spiffeId);
        Instant now = Instant.now();
        accepted(sign(key, JWSAlgorithm.ES256, new JWTClaimsSet.Builder().issuer(iss).subject(spiffeId)
                .audience(ClientAssertions.tokenEndpoint()).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300))).jwtID(UUID.randomUUID().toString()).build()));
    }

    @Test
    void anIssuerThatDoesNotAllowReuseRefusesTheSecondUse() {
        Issuer cluster = kubernetes(unique("strict"), "");
        register(cluster.iss(), "system:serviceaccount:payments:api");
        String projected = signed(cluster, serviceAccountToken(cluster, "payments", "api").build());
        accepted(projected);
        refused(tokenForm(projected), AuthenticationFailure.REPLAYED_ASSERTION);
    }

    @Test
    void aTokenOlderThanTheIssuersMaximumAgeIsRefused() {
        Issuer cluster = kubernetes(unique("young"), ",\"allow_reuse\":true,\"max_token_age\":600");
        register(cluster.iss(), "system:serviceaccount:payments:api");
        Instant issued = Instant.now().minus(Duration.ofMinutes(20));
        refused(tokenForm(signed(cluster, serviceAccountToken(cluster, "payments", "api").issueTime(Date.from(issued))
                .notBeforeTime(Date.from(issued)).build())), AuthenticationFailure.ASSERTION_REJECTED);
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        Issuer cluster = kubernetes(unique("aud"), ",\"allow_reuse\":true");
        register(cluster.iss(), "system:serviceaccount:payments:api");
        refused(tokenForm(signed(cluster, serviceAccountToken(cluster, "payments", "api")
                .audience("https://kubernetes.default.svc").build())), AuthenticationFailure.ASSERTION_REJECTED);
    }

    @Test
    void theIssuersOwnAudiencesReplaceTheDefault() {
        Issuer cluster = kubernetes(unique("own-aud"), ",\"allow_reuse\":true,\"audiences\":[\"token-service\"]");
        register(cluster.iss(), "system:serviceaccount:payments:api");
        accepted(signed(cluster, serviceAccountToken(cluster, "payments", "api").audience("token-service").build()));
        refused(tokenForm(signed(cluster, serviceAccountToken(cluster, "payments", "api").build())),
                AuthenticationFailure.ASSERTION_REJECTED);
    }

    @Test
    void aTokenIssuedInTheFutureIsRefused() {
        Issuer cluster = kubernetes(unique("future"), ",\"allow_reuse\":true");
        register(cluster.iss(), "system:serviceaccount:payments:api");
        Instant later = Instant.now().plusSeconds(600);
        refused(tokenForm(signed(cluster, serviceAccountToken(cluster, "payments", "api").issueTime(Date.from(later))
                .notBeforeTime(null).build())), AuthenticationFailure.ASSERTION_REJECTED);
    }

    @Test
    void anExpiredTokenIsRefused() {
        Issuer cluster = kubernetes(unique("expired"), ",\"allow_reuse\":true");
        register(cluster.iss(), "system:serviceaccount:payments:api");
        Instant issued = Instant.now().minusSeconds(1200);
        refused(tokenForm(signed(cluster, serviceAccountToken(cluster, "payments", "api").issueTime(Date.from(issued))
                .notBeforeTime(Date.from(issued)).expirationTime(Date.from(issued.plusSeconds(600))).build())),
                AuthenticationFailure.ASSERTION_REJECTED);
    }

    @Test
    void aTokenOfAnIssuerNobodyTrustsIsRefused() {
        RSAKey key = ClientAssertions.rsa("k");
        String iss = PLATFORM.url("/" + unique("stranger"));
        Issuer stranger = new Issuer(iss, key);
        refused(tokenForm(signed(stranger, serviceAccountToken(stranger, "payments", "api").build())),
                AuthenticationFailure.MALFORMED_ASSERTION);
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefused() {
        Issuer cluster = kubernetes(unique("forged"), ",\"allow_reuse\":true");
        register(cluster.iss(), "system:serviceaccount:payments:api");
        Issuer forger = new Issuer(cluster.iss(), ClientAssertions.rsa("sa-key-1"));
        refused(tokenForm(signed(forger, serviceAccountToken(forger, "payments", "api").build())),
                AuthenticationFailure.BAD_SIGNATURE);
    }

    @Test
    void aSubjectNoClientIsRegisteredForIsRefused() {
        Issuer cluster = kubernetes(unique("nobody"), ",\"allow_reuse\":true");
        register(cluster.iss(), "system:serviceaccount:payments:api");
        refused(tokenForm(signed(cluster, serviceAccountToken(cluster, "payments", "worker").build())),
                AuthenticationFailure.UNKNOWN_SUBJECT);
    }

    @Test
    void aClientIdNamingAnotherClientIsRefused() {
        Issuer cluster = kubernetes(unique("named"), ",\"allow_reuse\":true");
        register(cluster.iss(), "system:serviceaccount:payments:api");
        String other = register(cluster.iss(), "system:serviceaccount:payments:other");
        refused(tokenForm(signed(cluster, serviceAccountToken(cluster, "payments", "api").build())) + "&client_id=" + other,
                AuthenticationFailure.MALFORMED_ASSERTION);
    }

    @Test
    void aDisabledClientIsRefused() {
        Issuer cluster = kubernetes(unique("disabled"), ",\"allow_reuse\":true");
        String clientId = register(cluster.iss(), "system:serviceaccount:payments:api");
        admin().body("{\"enabled\":false}").patch("/admin/clients/" + clientId).then().statusCode(200);
        refused(tokenForm(signed(cluster, serviceAccountToken(cluster, "payments", "api").build())),
                AuthenticationFailure.DISABLED);
    }

    @Test
    void keysRotatedAtTheIssuerAreSeenOnTheFirstUnknownKid() {
        Issuer cluster = kubernetes(unique("rotating"), ",\"allow_reuse\":true");
        register(cluster.iss(), "system:serviceaccount:payments:api");
        accepted(signed(cluster, serviceAccountToken(cluster, "payments", "api").build()));
        RSAKey next = ClientAssertions.rsa("sa-key-2");
        String path = cluster.iss().substring(cluster.iss().lastIndexOf('/'));
        PLATFORM.serve(path + "/openid/v1/jwks", jwks(cluster.key(), next));
        Issuer rotated = new Issuer(cluster.iss(), next);
        accepted(signed(rotated, serviceAccountToken(rotated, "payments", "api").build()));
    }

    @Test
    void anIssuerNoLongerTrustedAuthenticatesNobody() {
        String name = unique("removed");
        Issuer cluster = kubernetes(name, ",\"allow_reuse\":true");
        register(cluster.iss(), "system:serviceaccount:payments:api");
        String projected = signed(cluster, serviceAccountToken(cluster, "payments", "api").build());
        accepted(projected);
        admin().delete("/admin/trusted-issuers/" + name).then().statusCode(204);
        refused(tokenForm(projected), AuthenticationFailure.MALFORMED_ASSERTION);
    }

    @Test
    void aPairBelongsToOneClient() {
        Issuer cluster = kubernetes(unique("taken"), "");
        register(cluster.iss(), "system:serviceaccount:payments:api");
        admin().body("{\"token_endpoint_auth_method\":\"federated_jwt\",\"federated_credentials\":[{\"issuer\":\""
                        + cluster.iss() + "\",\"subject\":\"system:serviceaccount:payments:api\"}]}")
                .post("/admin/clients").then().statusCode(409).body("error", equalTo("conflict"))
                .body("error_description", equalTo("A pair of federated_credentials belongs to another client"));
    }

    @Test
    void introspectionAcceptsAFederatedClient() {
        Issuer cluster = kubernetes(unique("introspect"), ",\"allow_reuse\":true");
        register(cluster.iss(), "system:serviceaccount:payments:api");
        String projected = signed(cluster, serviceAccountToken(cluster, "payments", "api").build());
        String accessToken = token(tokenForm(projected)).statusCode(200).extract().path("access_token");
        TokenRequests.form("token=" + accessToken + "&client_assertion_type=" + ClientAssertions.JWT_BEARER
                + "&client_assertion=" + projected).post("/oauth2/introspect")
                .then().statusCode(200).body("active", equalTo(true));
    }

    @Test
    void aFederatedClientNeedsFederatedCredentials() {
        admin().body("{\"token_endpoint_auth_method\":\"federated_jwt\"}").post("/admin/clients")
                .then().statusCode(400).body("field", equalTo("federated_credentials"));
    }

    @Test
    void federatedCredentialsAreOnlyForFederatedClients() {
        admin().body("{\"federated_credentials\":[{\"issuer\":\"https://k8s.example\",\"subject\":\"s\"}]}")
                .post("/admin/clients").then().statusCode(400).body("field", equalTo("federated_credentials"));
    }

    @Test
    void trustedIssuersAreListedAndEveryChangeIsAudited() throws Exception {
        String name = unique("audited");
        Issuer cluster = kubernetes(name, "");
        admin().get("/admin/trusted-issuers").then().statusCode(200)
                .body("trusted_issuers.name", hasItem(name));
        admin().body("{\"max_token_age\":900}").patch("/admin/trusted-issuers/" + name)
                .then().statusCode(200).body("max_token_age", equalTo(900)).body("source", equalTo("database"));
        admin().delete("/admin/trusted-issuers/" + name).then().statusCode(204);
        admin().get("/admin/trusted-issuers/" + name).then().statusCode(404);
        assertEquals("3", Sql.query(dataSource, "SELECT count(*) FROM token_service.admin_audit WHERE action LIKE "
                + "'trusted_issuer.%' AND details LIKE ?", "%issuer=" + cluster.iss() + " %").strip());
    }

    @Test
    void invalidTrustedIssuersAreRefusedNamingTheField() {
        trust("Bad Name", "https://k8s.example", "").statusCode(400).body("field", equalTo("name"));
        trust(unique("no-url"), "k8s.example", "").statusCode(400).body("field", equalTo("issuer"));
        trust(unique("both"), "https://k8s.example", ",\"jwks_uri\":\"https://k8s.example/jwks\",\"jwks\":"
                + jwks(ClientAssertions.rsa("k"))).statusCode(400).body("field", equalTo("jwks"));
        trust(unique("age"), "https://k8s.example", ",\"max_token_age\":0").statusCode(400)
                .body("field", equalTo("max_token_age"));
        trust(unique("unknown"), "https://k8s.example", ",\"trust_everyone\":true").statusCode(400)
                .body("field", equalTo("trust_everyone"));
    }

    @Test
    void aNameOrIssuerIsTrustedOnce() {
        String name = unique("twice");
        String iss = "https://" + name + ".example";
        trust(name, iss, "").statusCode(201);
        trust(name, "https://other-" + name + ".example", "").statusCode(409);
        trust(unique("other"), iss, "").statusCode(409);
    }

    @Test
    void manyFirstRequestsAtOnceAllGetTokens() throws Exception {
        Issuer cluster = kubernetes(unique("burst"), ",\"allow_reuse\":true");
        List<String> bodies = new java.util.ArrayList<>();
        for (int i = 0; i < 32; i++) {
            register(cluster.iss(), "system:serviceaccount:payments:api-" + i);
            bodies.add(tokenForm(signed(cluster, serviceAccountToken(cluster, "payments", "api-" + i).build())));
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(32);
        try {
            List<java.util.concurrent.Future<Integer>> statuses = new java.util.ArrayList<>();
            for (int i = 0; i < 256; i++) {
                String body = bodies.get(i % bodies.size());
                statuses.add(pool.submit(() -> TokenRequests.form(body).post("/oauth2/token").statusCode()));
            }
            for (var status : statuses) {
                assertEquals(200, status.get());
            }
        } finally {
            pool.shutdown();
        }
    }
}
