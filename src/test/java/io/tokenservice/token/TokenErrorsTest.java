package io.tokenservice.token;

import static io.restassured.RestAssured.given;
import static io.tokenservice.testing.TokenRequests.basicRaw;
import static io.tokenservice.testing.TokenRequests.clientCredentials;
import static io.tokenservice.testing.TokenRequests.form;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.TestClients;
import jakarta.inject.Inject;
import java.util.Arrays;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every invalid token request is HTTP 403 (the seed) with the RFC 6749 §5.2 error code, a JSON body and the
 * no-store headers; none is a 5xx.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class TokenErrorsTest {

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    /** One client for the whole class: these requests change nothing, so each test need not hash a new secret. */
    static TestClients.Registered client;
    TestClients clients;

    @BeforeEach
    void fixtures() {
        clients = new TestClients(dataSource, hasher);
        if (client == null) {
            client = clients.client().scopes("read", "write").register();
        }
    }

    private static String rejected(RequestSpecification request, String error) {
        return request.post("/oauth2/token").then()
                .statusCode(403)
                .contentType("application/json")
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .body("error", equalTo(error))
                .body("error_description", not(emptyOrNullString()))
                .extract().asString();
    }

    private RequestSpecification authenticated(String body) {
        return form(body).header("Authorization", basicRaw(client.clientId(), client.secret()));
    }

    @Test
    void missingGrantTypeIsInvalidRequest() {
        rejected(authenticated("scope=read"), "invalid_request");
    }

    @Test
    void emptyGrantTypeIsInvalidRequest() {
        rejected(authenticated("grant_type="), "invalid_request");
    }

    @Test
    void emptyBodyIsInvalidRequest() {
        rejected(authenticated(""), "invalid_request");
    }

    @Test
    void repeatedGrantTypeIsInvalidRequest() {
        rejected(authenticated("grant_type=client_credentials&grant_type=client_credentials"), "invalid_request");
    }

    @Test
    void repeatedScopeIsInvalidRequest() {
        rejected(authenticated("grant_type=client_credentials&scope=read&scope=write"), "invalid_request");
    }

    @Test
    void passwordGrantIsUnsupportedGrantType() {
        rejected(authenticated("grant_type=password&username=a&password=b"), "unsupported_grant_type");
    }

    @Test
    void authorizationCodeGrantIsUnsupportedGrantType() {
        rejected(authenticated("grant_type=authorization_code&code=x"), "unsupported_grant_type");
    }

    @Test
    void jsonBodyIsInvalidRequest() {
        rejected(given().contentType("application/json").body("{\"grant_type\":\"client_credentials\"}")
                .header("Authorization", basicRaw(client.clientId(), client.secret())), "invalid_request");
    }

    @Test
    void missingContentTypeIsInvalidRequest() {
        rejected(given().body("grant_type=client_credentials".getBytes())
                .header("Authorization", basicRaw(client.clientId(), client.secret())), "invalid_request");
    }

    @Test
    void unparseableContentTypeIsInvalidRequest() {
        rejected(given().header("Content-Type", ";;;").body("grant_type=client_credentials".getBytes())
                .header("Authorization", basicRaw(client.clientId(), client.secret())), "invalid_request");
    }

    @Test
    void otherMethodsAreNotAllowed() {
        given().header("Content-Length", "0").get("/oauth2/token").then().statusCode(405);
    }

    @Test
    void malformedPercentEncodingIsInvalidRequest() {
        rejected(authenticated("grant_type=client_credentials&scope=%zz"), "invalid_request");
    }

    @Test
    void bodyOverTheLimitIsInvalidRequest() {
        char[] padding = new char[9000];
        Arrays.fill(padding, 'a');
        rejected(authenticated("grant_type=client_credentials&pad=" + new String(padding)), "invalid_request");
    }

    @Test
    void largeBodyIsRefusedFromItsContentLength() {
        char[] padding = new char[500_000];
        Arrays.fill(padding, 'a');
        rejected(authenticated("grant_type=client_credentials&pad=" + new String(padding)), "invalid_request");
    }

    @Test
    void bearerAuthorizationIsInvalidClient() {
        rejected(form("grant_type=client_credentials").header("Authorization", "Bearer abc"), "invalid_client");
    }

    @Test
    void basicWithBrokenBase64IsInvalidRequest() {
        rejected(form("grant_type=client_credentials").header("Authorization", "Basic %%%not-base64"), "invalid_request");
    }

    @Test
    void basicWithoutColonIsInvalidRequest() {
        rejected(form("grant_type=client_credentials").header("Authorization", "Basic Y2xpZW50"), "invalid_request");
    }

    @Test
    void basicWithEmptySecretIsInvalidRequest() {
        rejected(form("grant_type=client_credentials").header("Authorization", basicRaw(client.clientId(), "")),
                "invalid_request");
    }

    @Test
    void basicWithInvalidUtf8IsInvalidRequest() {
        rejected(form("grant_type=client_credentials").header("Authorization", "Basic YTr/"), "invalid_request");
    }

    @Test
    void twoAuthorizationHeadersAreInvalidRequest() {
        rejected(form("grant_type=client_credentials")
                .header("Authorization", basicRaw(client.clientId(), client.secret()))
                .header("Authorization", basicRaw(client.clientId(), client.secret())), "invalid_request");
    }

    @Test
    void basicAndClientSecretInOneRequestAreInvalidRequest() {
        rejected(authenticated("grant_type=client_credentials&client_id=" + client.clientId()
                + "&client_secret=" + client.secret()), "invalid_request");
    }

    @Test
    void bodyClientIdDifferentFromBasicIsInvalidRequest() {
        rejected(authenticated("grant_type=client_credentials&client_id=someone-else"), "invalid_request");
    }

    @Test
    void clientSecretWithoutClientIdIsInvalidRequest() {
        rejected(form("grant_type=client_credentials&client_secret=" + client.secret()), "invalid_request");
    }

    @Test
    void noClientAuthenticationIsInvalidClient() {
        rejected(form("grant_type=client_credentials"), "invalid_client");
    }

    @Test
    void unknownClientIsInvalidClient() {
        rejected(clientCredentials("no-such-client", client.secret()), "invalid_client");
    }

    @Test
    void wrongSecretIsInvalidClient() {
        rejected(clientCredentials(client.clientId(), client.secret() + "x"), "invalid_client");
    }

    @Test
    void unknownClientAndWrongSecretGetTheSameBody() {
        assertEquals(rejected(clientCredentials("no-such-client", "whatever-secret"), "invalid_client"),
                rejected(clientCredentials(client.clientId(), "whatever-secret"), "invalid_client"));
    }

    @Test
    void disabledClientIsInvalidClient() {
        var disabled = clients.client().disabled().register();
        rejected(clientCredentials(disabled.clientId(), disabled.secret()), "invalid_client");
    }

    @Test
    void basicClientSendingItsSecretInTheBodyIsInvalidClient() {
        rejected(form("grant_type=client_credentials&client_id=" + client.clientId() + "&client_secret="
                + client.secret()), "invalid_client");
    }

    @Test
    void postClientUsingBasicIsInvalidClient() {
        var post = clients.client().clientSecretPost().register();
        rejected(clientCredentials(post.clientId(), post.secret()), "invalid_client");
    }

    @Test
    void scopeOutsideTheRegisteredSetIsInvalidScope() {
        rejected(authenticated("grant_type=client_credentials&scope=read%20admin"), "invalid_scope");
    }

    @Test
    void scopeWithForbiddenCharactersIsInvalidScope() {
        rejected(authenticated("grant_type=client_credentials&scope=re%22ad"), "invalid_scope");
    }

    @Test
    void resourceOutsideTheClientsAudienceIsInvalidTarget() {
        rejected(authenticated("grant_type=client_credentials&resource=https%3A%2F%2Felsewhere.example"), "invalid_target");
    }

    @Test
    void relativeResourceIsInvalidTarget() {
        rejected(authenticated("grant_type=client_credentials&resource=%2Fapi"), "invalid_target");
    }

    @Test
    void resourceWithAFragmentIsInvalidTarget() {
        rejected(authenticated("grant_type=client_credentials&resource=http%3A%2F%2Flocalhost%3A8080%23part"), "invalid_target");
    }

    @Test
    void unknownClientTakesAboutAsLongAsAWrongSecret() {
        // Not a benchmark: an unknown client must pay for a dummy hash. Without it the ratio is ~0.1.
        clientCredentials(client.clientId(), "warm-up").post("/oauth2/token");
        long unknown = medianMillis(() -> clientCredentials("no-such-client", "guess").post("/oauth2/token"));
        long wrong = medianMillis(() -> clientCredentials(client.clientId(), "guess").post("/oauth2/token"));
        assertTrue(unknown * 2 >= wrong, "unknown client " + unknown + " ms vs wrong secret " + wrong + " ms");
    }

    private static long medianMillis(Runnable request) {
        long[] samples = new long[7];
        for (int i = 0; i < samples.length; i++) {
            long start = System.nanoTime();
            request.run();
            samples[i] = (System.nanoTime() - start) / 1_000_000;
        }
        Arrays.sort(samples);
        return samples[samples.length / 2];
    }
}
