package io.tokenservice.client;

import static io.tokenservice.testing.TokenRequests.clientCredentials;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.NoNotificationsSmallBudgets;
import io.tokenservice.testing.TestClients;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * With every change notification lost (listening off), the end-to-end proof of the client cache's timing, on the
 * wall clock: a change that no notification announced is not seen at first (the cache is in use), an aging entry
 * is still served past half its max-staleness and re-read in the background, and the change arrives before the
 * entry would have expired. The rules themselves, expiry at max-staleness included, are ClientDirectoryTest's, on
 * a fake clock.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@TestProfile(NoNotificationsSmallBudgets.class)
class ClientCacheWithoutNotificationsTest {

    static final long MAX_STALENESS_MILLIS = NoNotificationsSmallBudgets.MAX_STALENESS_MILLIS;

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    @Test
    void unannouncedChangeArrivesThroughTheBackgroundReReadBeforeExpiry() throws Exception {
        var client = new TestClients(dataSource, hasher).client().register();
        long cachedAt = System.currentTimeMillis();
        clientCredentials(client.clientId(), client.secret()).post("/oauth2/token").then().statusCode(200);
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE token_service.client SET enabled = false WHERE client_id = ?")) {
            update.setString(1, client.clientId());
            update.executeUpdate();
        }
        // Still cached: proof that the cache is in use and the notification really was not heard.
        clientCredentials(client.clientId(), client.secret()).post("/oauth2/token").then().statusCode(200);
        Thread.sleep(MAX_STALENESS_MILLIS / 2 + 200 - (System.currentTimeMillis() - cachedAt));
        // Past half the max-staleness: served from the cache (still enabled there), and the re-read starts.
        clientCredentials(client.clientId(), client.secret()).post("/oauth2/token").then().statusCode(200);
        int status = 200;
        while (status == 200 && System.currentTimeMillis() - cachedAt < MAX_STALENESS_MILLIS - 500) {
            Thread.sleep(50);
            status = clientCredentials(client.clientId(), client.secret()).post("/oauth2/token").statusCode();
        }
        assertEquals(403, status);
        assertTrue(System.currentTimeMillis() - cachedAt < MAX_STALENESS_MILLIS, "the change came only with expiry");
    }
}
