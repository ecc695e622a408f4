package io.tokenservice.throttle;

import static io.tokenservice.testing.TokenRequests.basicRaw;
import static io.tokenservice.testing.TokenRequests.form;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.testing.AdminTokens;
import io.tokenservice.testing.ClientAssertions;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.NoNotificationsSmallBudgets;
import io.tokenservice.testing.Sql;
import io.tokenservice.testing.TestClients;
import jakarta.inject.Inject;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, defect 2: failed client authentication is budgeted per source and per client, beyond which requests
 * get 429 slow_down without any hashing, while a right secret from a source that has not failed keeps working;
 * and per-client token quotas. Sources are told apart by X-Forwarded-For from the trusted proxy 127.0.0.1.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@TestProfile(NoNotificationsSmallBudgets.class)
class ThrottlingTest {

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    private static ValidatableResponse token(String source, String clientId, String secret) {
        return form("grant_type=client_credentials").header("X-Forwarded-For", source)
                .header("Authorization", basicRaw(clientId, secret)).post("/oauth2/token").then();
    }

    @Test
    void guessesBeyondASourcesBudgetAre429SlowDownEvenWithTheRightSecret() {
        var client = new TestClients(dataSource, hasher).client().register();
        for (int i = 0; i < 5; i++) {
            token("192.0.2.10", "guessed-" + i, "wrong").statusCode(403).body("error", equalTo("invalid_client"));
        }
        token("192.0.2.10", client.clientId(), client.secret()).statusCode(429)
                .header("Retry-After", notNullValue())
                .header("Cache-Control", "no-store")
                .body("error", equalTo("slow_down"));
        token("192.0.2.11", client.clientId(), client.secret()).statusCode(200);
    }

    @Test
    void failingOnBehalfOfAClientDoesNotLockItOut() {
        var victim = new TestClients(dataSource, hasher).client().register();
        for (int source = 1; source <= 4; source++) {
            token("198.51.100." + source, victim.clientId(), "wrong").statusCode(403);
        }
        token("198.51.100.1", victim.clientId(), "wrong").statusCode(429).body("error", equalTo("slow_down"));
        token("203.0.113.7", victim.clientId(), victim.secret()).statusCode(200);
    }

    @Test
    void aWarmClientBehindASourceOverItsBudgetKeepsGettingTokens() {
        var client = new TestClients(dataSource, hasher).client().register();
        token("192.0.2.30", client.clientId(), client.secret()).statusCode(200);
        for (int i = 0; i < 6; i++) {
            token("192.0.2.30", "guessed-" + i, "wrong");
        }
        token("192.0.2.30", "guessed-x", "wrong").statusCode(429);
        // The same address (a shared proxy, a NAT): a secret this replica already trusts costs one HMAC, so it passes.
        token("192.0.2.30", client.clientId(), client.secret()).statusCode(200);
    }

    @Test
    void aClientBeyondItsTokenQuotaGets429() throws Exception {
        var client = new TestClients(dataSource, hasher).client().register();
        Sql.update(dataSource, "UPDATE token_service.client SET token_rate_limit = 2 WHERE client_id = ?", client.clientId());
        token("192.0.2.50", client.clientId(), client.secret()).statusCode(200);
        token("192.0.2.50", client.clientId(), client.secret()).statusCode(200);
        token("192.0.2.51", client.clientId(), client.secret()).statusCode(429)
                .header("Retry-After", notNullValue())
                .body("error", equalTo("slow_down"));
    }

    private String register(String admin, String json, String path) {
        return io.restassured.RestAssured.given().header("Authorization", "Bearer " + admin).contentType("application/json")
                .body(json).post(path).then().statusCode(201).extract().path(path.endsWith("clients") ? "client_id" : "name");
    }

    private static String assertion(RSAKey key, String clientId) {
        return ClientAssertions.tokenForm(ClientAssertions.sign(key, JWSAlgorithm.RS256, ClientAssertions.claims(clientId).build()));
    }

    /**
     * Issue 18, point 4: over its budget, a source kept only warm secrets and reusable federated tokens, so
     * private_key_jwt clients and single-use federated workloads behind an address shared with a guesser got 429.
     * Now an assertion that verifies against what the replica has at hand passes, as a warm secret does; the
     * source still causes no lookup or fetch.
     */
    @Test
    void overItsBudgetASourceStillAuthenticatesClientsWhoseKeysAreAtHand() {
        String admin = AdminTokens.issued(new TestClients(dataSource, hasher).client().administrator().register());
        RSAKey key = ClientAssertions.rsa("k1");
        String jwks = ClientAssertions.jwks(key);
        String pkjwt = register(admin, "{\"client_id\":\"throttled-pkjwt-" + System.nanoTime()
                + "\",\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":" + jwks + "}", "/admin/clients");
        String uncached = register(admin, "{\"client_id\":\"throttled-cold-" + System.nanoTime()
                + "\",\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":" + jwks + "}", "/admin/clients");
        String issuer = "https://cluster-" + System.nanoTime() + ".example";
        register(admin, "{\"name\":\"throttled-" + System.nanoTime() + "\",\"issuer\":\"" + issuer + "\",\"jwks\":" + jwks
                + "}", "/admin/trusted-issuers");
        register(admin, "{\"token_endpoint_auth_method\":\"federated_jwt\",\"federated_credentials\":[{\"issuer\":\""
                + issuer + "\",\"subject\":\"system:serviceaccount:ns:sa\"}]}", "/admin/clients");
        java.util.function.Supplier<String> singleUse = () -> {
            java.time.Instant now = java.time.Instant.now();
            return ClientAssertions.tokenForm(ClientAssertions.sign(key, JWSAlgorithm.RS256, new com.nimbusds.jwt.JWTClaimsSet.Builder()
                    .issuer(issuer).subject("system:serviceaccount:ns:sa").audience(ClientAssertions.tokenEndpoint())
                    .jwtID(java.util.UUID.randomUUID().toString()).issueTime(java.util.Date.from(now))
                    .expirationTime(java.util.Date.from(now.plusSeconds(600))).build()));
        };
        // Both clients authenticated once from elsewhere: cached, keys at hand.
        form(singleUse.get()).header("X-Forwarded-For", "192.0.2.60").post("/oauth2/token").then().statusCode(200);
        form(assertion(key, pkjwt)).header("X-Forwarded-For", "192.0.2.60").post("/oauth2/token").then().statusCode(200);

        for (int i = 0; i < 6; i++) {
            token("192.0.2.61", "guessed-" + i, "wrong");
        }
        token("192.0.2.61", "guessed-x", "wrong").statusCode(429);
        form(assertion(key, pkjwt)).header("X-Forwarded-For", "192.0.2.61").post("/oauth2/token").then().statusCode(200);
        form(singleUse.get()).header("X-Forwarded-For", "192.0.2.61").post("/oauth2/token").then().statusCode(200);
        // What would need a lookup is still refused as throttled, and so is a forgery.
        form(assertion(key, uncached)).header("X-Forwarded-For", "192.0.2.61").post("/oauth2/token").then().statusCode(429)
                .body("error", equalTo("slow_down"));
        form(assertion(ClientAssertions.rsa("k1"), pkjwt)).header("X-Forwarded-For", "192.0.2.61").post("/oauth2/token")
                .then().statusCode(429);
    }

    /**
     * Issue 18 review: over its budget, a source could still make the replica verify one signature per request,
     * without end (each forged assertion naming a cached client, or a decoy). Those verifications have a budget of
     * their own: once it is spent, nothing more is verified for that source, whatever it presents.
     */
    @Test
    void aSourceOverItsBudgetGetsABoundedNumberOfVerificationsAtHand() {
        String admin = AdminTokens.issued(new TestClients(dataSource, hasher).client().administrator().register());
        RSAKey key = ClientAssertions.rsa("k1");
        String pkjwt = register(admin, "{\"client_id\":\"at-hand-" + System.nanoTime()
                + "\",\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":" + ClientAssertions.jwks(key) + "}",
                "/admin/clients");
        form(assertion(key, pkjwt)).header("X-Forwarded-For", "192.0.2.80").post("/oauth2/token").then().statusCode(200);
        for (int i = 0; i < 6; i++) {
            token("192.0.2.81", "guessed-" + i, "wrong");
        }
        form(assertion(key, pkjwt)).header("X-Forwarded-For", "192.0.2.81").post("/oauth2/token").then().statusCode(200);
        for (int i = 0; i < 5; i++) {
            form(assertion(ClientAssertions.rsa("k1"), pkjwt)).header("X-Forwarded-For", "192.0.2.81")
                    .post("/oauth2/token").then().statusCode(429);
        }
        // Five failed verifications at hand spent that budget: not even a valid assertion is verified now.
        form(assertion(key, pkjwt)).header("X-Forwarded-For", "192.0.2.81").post("/oauth2/token").then().statusCode(429);
        form(assertion(key, pkjwt)).header("X-Forwarded-For", "192.0.2.82").post("/oauth2/token").then().statusCode(200);
    }

    /**
     * Issue 18, point 6: replay-store writes were unbounded (introspection and revocation have no quota, and the
     * token endpoint charged its quota after the write). Each client's single-use assertions are budgeted before any
     * write, on all three endpoints together; a replay this replica saw costs neither a write nor the budget.
     */
    @Test
    void aClientsSingleUseAssertionsAreBudgetedBeforeAnyWriteOnEveryEndpoint() throws Exception {
        String admin = AdminTokens.issued(new TestClients(dataSource, hasher).client().administrator().register());
        RSAKey key = ClientAssertions.rsa("k1");
        String client = register(admin, "{\"client_id\":\"budgeted-" + System.nanoTime()
                + "\",\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":" + ClientAssertions.jwks(key) + "}",
                "/admin/clients");
        String first = assertion(key, client);
        form(first + "&token=x").header("X-Forwarded-For", "192.0.2.70").post("/oauth2/introspect").then().statusCode(200);
        form(assertion(key, client) + "&token=x").header("X-Forwarded-For", "192.0.2.71").post("/oauth2/introspect").then()
                .statusCode(200);
        form(assertion(key, client) + "&token=x").header("X-Forwarded-For", "192.0.2.72").post("/oauth2/revoke").then()
                .statusCode(200);
        form(assertion(key, client)).header("X-Forwarded-For", "192.0.2.73").post("/oauth2/token").then().statusCode(200);
        form(assertion(key, client) + "&token=x").header("X-Forwarded-For", "192.0.2.74").post("/oauth2/revoke").then()
                .statusCode(429).header("Retry-After", notNullValue()).body("error", equalTo("slow_down"));
        form(assertion(key, client)).header("X-Forwarded-For", "192.0.2.75").post("/oauth2/token").then().statusCode(429);
        // A replay is refused as one, budget spent or not.
        form(first).header("X-Forwarded-For", "192.0.2.76").post("/oauth2/token").then().statusCode(403)
                .body("error", equalTo("invalid_client"));
        assertEquals(NoNotificationsSmallBudgets.SINGLE_USE_ASSERTIONS_PER_MINUTE + "\n",
                Sql.query(dataSource, "SELECT count(*) FROM token_service.seen_assertion WHERE issuer = ?", client));
    }
}
