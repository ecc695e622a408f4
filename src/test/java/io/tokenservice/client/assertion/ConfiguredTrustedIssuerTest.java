package io.tokenservice.client.assertion;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.testing.AdminTokens;
import io.tokenservice.testing.ClientAssertions;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.TestClients;
import io.tokenservice.testing.TokenRequests;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A trusted issuer listed in configuration (GitOps), with its keys inline: its tokens authenticate federated clients
 * with no admin call, the admin API shows it read-only, and nobody can store a second one under its name or iss.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@TestProfile(ConfiguredTrustedIssuerTest.ClusterInConfiguration.class)
class ConfiguredTrustedIssuerTest {

    static final String ISSUER = "https://oidc.cluster-a.example.com";
    static final RSAKey KEY = ClientAssertions.rsa("cluster-a-1");

    public static class ClusterInConfiguration implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "token-service.federation.trusted-issuers.cluster-a.issuer", ISSUER,
                    "token-service.federation.trusted-issuers.cluster-a.jwks", ClientAssertions.jwks(KEY),
                    "token-service.federation.trusted-issuers.cluster-a.allow-reuse", "true",
                    "token-service.federation.trusted-issuers.cluster-a.max-token-age", "2h");
        }
    }

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    String adminToken;

    @BeforeEach
    void adminToken() {
        adminToken = AdminTokens.issued(new TestClients(dataSource, hasher).client().administrator().register());
    }

    private io.restassured.specification.RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + adminToken).contentType("application/json");
    }

    @Test
    void aConfiguredIssuersTokenAuthenticatesItsClient() {
        String subject = "system:serviceaccount:billing:" + UUID.randomUUID();
        admin().body("{\"token_endpoint_auth_method\":\"federated_jwt\",\"federated_credentials\":[{\"issuer\":\""
                + ISSUER + "\",\"subject\":\"" + subject + "\"}]}").post("/admin/clients").then().statusCode(201);
        Instant issued = Instant.now().minusSeconds(5400);
        String token = ClientAssertions.sign(KEY, JWSAlgorithm.RS256, new JWTClaimsSet.Builder().issuer(ISSUER)
                .subject(subject).audience(ClientAssertions.tokenEndpoint()).issueTime(Date.from(issued))
                .expirationTime(Date.from(issued.plusSeconds(7200))).build());
        TokenRequests.form(ClientAssertions.tokenForm(token)).post("/oauth2/token").then().statusCode(200)
                .body("access_token", notNullValue());
    }

    @Test
    void theAdminApiShowsItReadOnly() {
        admin().get("/admin/trusted-issuers").then().statusCode(200)
                .body("trusted_issuers.find { it.name == 'cluster-a' }.source", equalTo("config"))
                .body("trusted_issuers.name", hasItem("cluster-a"));
        admin().get("/admin/trusted-issuers/cluster-a").then().statusCode(200)
                .body("issuer", equalTo(ISSUER)).body("max_token_age", equalTo(7200)).body("allow_reuse", equalTo(true));
        admin().body("{\"max_token_age\":60}").patch("/admin/trusted-issuers/cluster-a").then().statusCode(409);
        admin().delete("/admin/trusted-issuers/cluster-a").then().statusCode(409);
    }

    @Test
    void itsNameAndIssuerCannotBeStoredAgain() {
        admin().body("{\"name\":\"cluster-a\",\"issuer\":\"https://elsewhere.example.com\"}")
                .post("/admin/trusted-issuers").then().statusCode(409);
        admin().body("{\"name\":\"cluster-a-copy\",\"issuer\":\"" + ISSUER + "\"}")
                .post("/admin/trusted-issuers").then().statusCode(409);
    }
}
