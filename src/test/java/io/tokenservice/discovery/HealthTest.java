package io.tokenservice.discovery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenservice.testing.EmbeddedPostgresResource;
import org.junit.jupiter.api.Test;

/** Kubernetes probes: live while the process runs; ready with the database answering and a signing key. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class HealthTest {

    @Test
    void readinessReportsDatabaseAndSigningKeyUp() {
        given().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("database", "signing-key"));
    }

    @Test
    void livenessIsUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
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
