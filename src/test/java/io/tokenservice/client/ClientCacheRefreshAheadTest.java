package io.tokenservice.client;

import static io.tokenservice.testing.TokenRequests.clientCredentials;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * Past half its max-staleness a cached client is still served at once, and re-read in the background: a change
 * that no notification announced arrives before the entry would have expired.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@TestProfile(ClientCacheRefreshAheadTest.NotificationsLost.class)
class ClientCacheRefreshAheadTest {

    static final long MAX_STALENESS_MILLIS = 8_000;

    public static class NotificationsLost implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("token-service.cache.clients.listen", "false",
                    "token-service.cache.clients.max-staleness", MAX_STALENESS_MILLIS + "ms");
        }
    }

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    @Test
    void agingClientIsServedFromTheCacheAndReReadInTheBackground() throws Exception {
        var client = new TestClients(dataSource, hasher).client().register();
        long cachedAt = System.currentTimeMillis();
        clientCredentials(client.clientId(), client.secret()).post("/oauth2/token").then().statusCode(200);
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE token_service.client SET enabled = false WHERE client_id = ?")) {
            update.setString(1, client.clientId());
            update.executeUpdate();
        }
        Thread.sleep(MAX_STALENESS_MILLIS / 2 + 500);
        // Past half the max-staleness: served from the cache (still enabled there), and the re-read starts.
        clientCredentials(client.clientId(), client.secret()).post("/oauth2/token").then().statusCode(200);
        int status = 200;
        while (status == 200 && System.currentTimeMillis() - cachedAt < MAX_STALENESS_MILLIS - 1_000) {
            Thread.sleep(100);
            status = clientCredentials(client.clientId(), client.secret()).post("/oauth2/token").statusCode();
        }
        assertEquals(403, status);
        assertTrue(System.currentTimeMillis() - cachedAt < MAX_STALENESS_MILLIS, "the change came only with expiry");
    }
}
