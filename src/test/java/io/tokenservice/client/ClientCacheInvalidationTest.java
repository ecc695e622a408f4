package io.tokenservice.client;

import static io.tokenservice.testing.TokenRequests.clientCredentials;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.Eventually;
import io.tokenservice.testing.TestClients;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Changes made behind this replica's back, as another replica or an operator would make them (straight in the
 * database), reach its caches through PostgreSQL notifications within moments, not after max-staleness (30 s).
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class ClientCacheInvalidationTest {

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    private void sql(String statement, Object... parameters) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(statement)) {
            for (int i = 0; i < parameters.length; i++) {
                update.setObject(i + 1, parameters[i]);
            }
            update.executeUpdate();
        }
    }

    private TestClients.Registered warmClient() {
        var client = new TestClients(dataSource, hasher).client().register();
        clientCredentials(client.clientId(), client.secret()).post("/oauth2/token").then().statusCode(200);
        return client;
    }

    private static int tokenStatus(TestClients.Registered client, String secret) {
        return clientCredentials(client.clientId(), secret).post("/oauth2/token").statusCode();
    }

    @Test
    void disablingElsewhereStopsTokensHere() throws Exception {
        var client = warmClient();
        sql("UPDATE token_service.client SET enabled = false WHERE client_id = ?", client.clientId());
        Eventually.status(403, () -> tokenStatus(client, client.secret()));
    }

    @Test
    void deletingElsewhereStopsTokensHere() throws Exception {
        var client = warmClient();
        sql("DELETE FROM token_service.client WHERE client_id = ?", client.clientId());
        Eventually.status(403, () -> tokenStatus(client, client.secret()));
    }

    @Test
    void rotatingElsewhereRetiresTheCachedSecretHere() throws Exception {
        var client = warmClient();
        String newSecret = TestClients.randomSecret();
        sql("UPDATE token_service.client SET secret_hash = ? WHERE client_id = ?",
                hasher.hash(newSecret).await().indefinitely(), client.clientId());
        Eventually.status(403, () -> tokenStatus(client, client.secret()));
        assertEquals(200, tokenStatus(client, newSecret));
    }

    @Test
    void scopeAndLifetimeChangesElsewhereShowInTheNextToken() throws Exception {
        var client = warmClient();
        sql("UPDATE token_service.client SET scopes = '{read}', access_token_ttl = 60 WHERE client_id = ?", client.clientId());
        Eventually.status(60, () -> clientCredentials(client.clientId(), client.secret()).post("/oauth2/token")
                .then().statusCode(200).extract().path("expires_in"));
        clientCredentials(client.clientId(), client.secret()).post("/oauth2/token").then()
                .body("scope", org.hamcrest.Matchers.equalTo("read"));
    }
}
