package io.tokenservice.discovery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenservice.testing.EmbeddedPostgresResource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The RFC 8414 metadata document, at both well-known names, for an issuer without a path. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class DiscoveryTest {

    static final String ISSUER = "http://localhost:8080";

    @Test
    void authorizationServerMetadataNamesEveryEndpoint() {
        given().get("/.well-known/oauth-authorization-server").then()
                .statusCode(200)
                .contentType("application/json")
                .header("Cache-Control", equalTo("public, max-age=3540"))
                .body("issuer", equalTo(ISSUER))
                .body("token_endpoint", equalTo(ISSUER + "/oauth2/token"))
                .body("jwks_uri", equalTo(ISSUER + "/.well-known/jwks.json"))
                .body("introspection_endpoint", equalTo(ISSUER + "/oauth2/introspect"))
                .body("revocation_endpoint", equalTo(ISSUER + "/oauth2/revoke"))
                .body("grant_types_supported", equalTo(List.of("client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange")))
                .body("token_endpoint_auth_methods_supported", equalTo(List.of("client_secret_basic", "client_secret_post",
                        "private_key_jwt", "federated_jwt", "tls_client_auth", "self_signed_tls_client_auth")))
                .body("token_endpoint_auth_signing_alg_values_supported", equalTo(List.of("RS256", "PS256", "ES256", "EdDSA")))
                .body("response_types_supported", equalTo(List.of()))
                .body("id_token_signing_alg_values_supported", hasItem("RS256"))
                .body("scopes_supported", equalTo(null));
    }

    @Test
    void openidConfigurationIsTheSameDocument() {
        String oauth = given().get("/.well-known/oauth-authorization-server").then().statusCode(200).extract().asString();
        String openid = given().get("/.well-known/openid-configuration").then().statusCode(200)
                .body("jwks_uri", notNullValue()).extract().asString();
        assertEquals(oauth, openid);
    }

    @Test
    void pathInsertedWellKnownNameIsNotFoundForAnIssuerWithoutAPath() {
        given().get("/.well-known/oauth-authorization-server/tenant").then().statusCode(404);
        given().get("/tenant/.well-known/openid-configuration").then().statusCode(404);
    }
}
