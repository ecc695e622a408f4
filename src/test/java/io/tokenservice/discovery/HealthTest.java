package io.tokenservice.discovery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.Management;
import org.junit.jupiter.api.Test;

/**
 * Kubernetes probes on the management interface: live while the process runs; ready with the database answering and
 * a signing key. The public port serves none of the management endpoints.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class HealthTest {

    @Test
    void readinessReportsDatabaseAndSigningKeyUp() {
        Management.given().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("database", "signing-key"));
    }

    @Test
    void livenessIsUp() {
        Management.given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void theManagementEndpointsAreNotOnThePublicPort() {
        for (String path : new String[] {"/q/health", "/q/health/ready", "/q/metrics", "/q/openapi"}) {
            given().get(path).then().statusCode(404);
        }
    }

    @Test
    void jwksPublishesOneRsaSigningKeyByDefault() {
        given().get("/.well-known/jwks.json").then()
                .statusCode(200)
                .body("keys.kty", hasItems("RSA"))
                .body("keys[0].alg", equalTo("RS256"))
                .body("keys[0].use", equalTo("sig"));
    }
}
