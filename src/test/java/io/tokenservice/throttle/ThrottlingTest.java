package io.tokenservice.throttle;

import static io.tokenservice.testing.TokenRequests.basicRaw;
import static io.tokenservice.testing.TokenRequests.form;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.tokenservice.client.secret.SecretHasher;
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

    /** Issue 14 review: a source over its budget gets no database write or lookup from a client assertion. */
    @Test
    void overItsBudgetASourceKeepsOnlyReusableFederatedTokensThatNeedNoLookup() {
        String admin = io.tokenservice.testing.AdminTokens.issued(new TestClients(dataSource, hasher).client().administrator()
                .register());
        var key = io.tokenservice.testing.ClientAssertions.rsa("k1");
        String jwks = io.tokenservice.testing.ClientAssertions.jwks(key);
        String pkjwt = "throttled-pkjwt-" + System.nanoTime();
        String issuer = "https://cluster-" + System.nanoTime() + ".example";
        io.restassured.RestAssured.given().header("Authorization", "Bearer " + admin).contentType("application/json")
                .body("{\"client_id\":\"" + pkjwt + "\",\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":" + jwks + "}")
                .post("/admin/clients").then().statusCode(201);
        io.restassured.RestAssured.given().header("Authorization", "Bearer " + admin).contentType("application/json")
                .body("{\"name\":\"throttled-cluster\",\"issuer\":\"" + issuer + "\",\"jwks\":" + jwks + ",\"allow_reuse\":true}")
                .post("/admin/trusted-issuers").then().statusCode(201);
        io.restassured.RestAssured.given().header("Authorization", "Bearer " + admin).contentType("application/json")
                .body("{\"token_endpoint_auth_method\":\"federated_jwt\",\"federated_credentials\":[{\"issuer\":\""
                        + issuer + "\",\"subject\":\"system:serviceaccount:ns:sa\"}]}")
                .post("/admin/clients").then().statusCode(201);
        java.time.Instant now = java.time.Instant.now();
        String projected = io.tokenservice.testing.ClientAssertions.sign(key, com.nimbusds.jose.JWSAlgorithm.RS256,
                new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(issuer).subject("system:serviceaccount:ns:sa")
                        .audience(io.tokenservice.testing.ClientAssertions.tokenEndpoint())
                        .issueTime(java.util.Date.from(now)).expirationTime(java.util.Date.from(now.plusSeconds(600))).build());
        String federated = io.tokenservice.testing.ClientAssertions.tokenForm(projected);
        // Both clients authenticated once from elsewhere: cached, keys at hand.
        form(federated).header("X-Forwarded-For", "192.0.2.60").post("/oauth2/token").then().statusCode(200);
        form(io.tokenservice.testing.ClientAssertions.tokenForm(io.tokenservice.testing.ClientAssertions.sign(key,
                com.nimbusds.jose.JWSAlgorithm.RS256, io.tokenservice.testing.ClientAssertions.claims(pkjwt).build())))
                .header("X-Forwarded-For", "192.0.2.60").post("/oauth2/token").then().statusCode(200);

        for (int i = 0; i < 6; i++) {
            token("192.0.2.61", "guessed-" + i, "wrong");
        }
        // A fresh private_key_jwt assertion needs its jti written: refused while the source is over budget.
        form(io.tokenservice.testing.ClientAssertions.tokenForm(io.tokenservice.testing.ClientAssertions.sign(key,
                com.nimbusds.jose.JWSAlgorithm.RS256, io.tokenservice.testing.ClientAssertions.claims(pkjwt).build())))
                .header("X-Forwarded-For", "192.0.2.61").post("/oauth2/token").then().statusCode(429)
                .body("error", equalTo("slow_down"));
        // A reusable token of a trusted issuer, for a workload this replica knows: decided in memory, so it passes.
        form(federated).header("X-Forwarded-For", "192.0.2.61").post("/oauth2/token").then().statusCode(200);
    }
}
