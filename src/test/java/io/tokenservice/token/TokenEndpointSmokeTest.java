package io.tokenservice.token;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.TestClients;
import jakarta.inject.Inject;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class TokenEndpointSmokeTest {

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    @Test
    void validBasicRequestGetsToken() {
        var client = new TestClients(dataSource, hasher).client().register();
        given().auth().preemptive().basic(client.clientId(), client.secret())
                .contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials")
                .post("/oauth2/token")
                .then().log().all().statusCode(200)
                .body("access_token", notNullValue())
                .body("token_type", equalTo("Bearer"));
    }
}
