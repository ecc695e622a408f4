package io.tokenservice.discovery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tokenservice.testing.EmbeddedPostgresResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An issuer with a path: RFC 8414 §3.1 inserts it, OpenID Connect Discovery appends to it. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@TestProfile(DiscoveryIssuerPathTest.IssuerWithPath.class)
class DiscoveryIssuerPathTest {

    static final String ISSUER = "https://auth.example.com/tenant-a";

    public static class IssuerWithPath implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("token-service.issuer", ISSUER, "token-service.discovery.scopes-supported", "read,write");
        }
    }

    @Test
    void metadataIsAtThePathInsertedWellKnownName() {
        given().get("/.well-known/oauth-authorization-server/tenant-a").then().statusCode(200)
                .body("issuer", equalTo(ISSUER))
                .body("token_endpoint", equalTo(ISSUER + "/oauth2/token"))
                .body("jwks_uri", equalTo(ISSUER + "/.well-known/jwks.json"))
                .body("scopes_supported", equalTo(List.of("read", "write")));
    }

    @Test
    void openidConfigurationIsAppendedToTheIssuerPath() {
        given().get("/tenant-a/.well-known/openid-configuration").then().statusCode(200).body("issuer", equalTo(ISSUER));
    }

    @Test
    void plainWellKnownNamesAnswerForAProxyThatStripsThePath() {
        given().get("/.well-known/oauth-authorization-server").then().statusCode(200).body("issuer", equalTo(ISSUER));
        given().get("/.well-known/openid-configuration").then().statusCode(200).body("issuer", equalTo(ISSUER));
    }

    @Test
    void anotherPathIsNotFound() {
        given().get("/.well-known/oauth-authorization-server/tenant-b").then().statusCode(404);
        given().get("/tenant-b/.well-known/openid-configuration").then().statusCode(404);
    }
}
