package io.tokenservice.client;

import static io.tokenservice.testing.TokenRequests.clientCredentials;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.TestClients;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** With every notification lost (listening off), a change still takes effect within max-staleness. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@TestProfile(ClientCacheStalenessTest.NotificationsLost.class)
class ClientCacheStalenessTest {

    public static class NotificationsLost implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("token-service.cache.clients.listen", "false",
                    "token-service.cache.clients.max-staleness", "2s");
        }
    }

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    @Test
    void disabledClientIsRefusedOnceTheCachedCopyIsStale() throws Exception {
        var client = new TestClients(dataSource, hasher).client().register();
        clientCredentials(client.clientId(), client.secret()).post("/oauth2/token").then().statusCode(200);
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE token_service.client SET enabled = false WHERE client_id = ?")) {
            update.setString(1, client.clientId());
            update.executeUpdate();
        }
        // Still cached: proof that the cache is in use and the notification really was not heard.
        clientCredentials(client.clientId(), client.secret()).post("/oauth2/token").then().statusCode(200);
        Thread.sleep(2_500);
        clientCredentials(client.clientId(), client.secret()).post("/oauth2/token").then().statusCode(403);
    }
}
