package io.tokenservice.token;

import static io.tokenservice.testing.TokenRequests.clientCredentials;
import static io.tokenservice.testing.TokenRequests.form;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.TestClients;
import jakarta.inject.Inject;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** With {@code token-service.errors.rfc6749-status=true}, errors carry the statuses of RFC 6749 §5.2. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@TestProfile(Rfc6749StatusTest.RfcStatuses.class)
class Rfc6749StatusTest {

    public static class RfcStatuses implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("token-service.errors.rfc6749-status", "true");
        }
    }

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    @Test
    void invalidRequestIs400() {
        form("grant_type=client_credentials&grant_type=x").post("/oauth2/token").then()
                .statusCode(400).header("Cache-Control", "no-store").body("error", equalTo("invalid_request"));
    }

    @Test
    void unsupportedGrantTypeIs400() {
        form("grant_type=password").post("/oauth2/token").then()
                .statusCode(400).body("error", equalTo("unsupported_grant_type"));
    }

    @Test
    void invalidClientIs401WithBasicChallenge() {
        clientCredentials("no-such-client", "secret").post("/oauth2/token").then()
                .statusCode(401)
                .header("WWW-Authenticate", startsWith("Basic"))
                .header("Cache-Control", "no-store")
                .body("error", equalTo("invalid_client"));
    }

    @Test
    void invalidScopeIs400() {
        var client = new TestClients(dataSource, hasher).client().scopes("read").register();
        form("grant_type=client_credentials&scope=write")
                .header("Authorization", io.tokenservice.testing.TokenRequests.basicRaw(client.clientId(), client.secret()))
                .post("/oauth2/token").then()
                .statusCode(400).body("error", equalTo("invalid_scope"));
    }

    @Test
    void validRequestIsStill200() {
        var client = new TestClients(dataSource, hasher).client().register();
        clientCredentials(client.clientId(), client.secret()).post("/oauth2/token").then().statusCode(200);
    }
}
