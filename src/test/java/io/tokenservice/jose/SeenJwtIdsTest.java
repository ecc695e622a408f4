package io.tokenservice.jose;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.Sql;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, point 7 (g): the replay store's expiry compared the replica's clock with the database's. A replica whose
 * clock runs behind the database's (within the tolerated skew, 30 s here) accepts an assertion the database already
 * thought expired, and the replay of it overwrote the row.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class SeenJwtIdsTest {

    @Inject
    SeenJwtIds seen;

    @Inject
    DataSource dataSource;

    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @Inject
    io.tokenservice.database.DatabaseCalls database;

    @Inject
    io.vertx.core.Vertx vertx;

    /** Another replica on the same database: nothing this one remembers in memory helps it. */
    private boolean firstUseElsewhere(String client, String jti, Instant expiresAt) {
        return new SeenJwtIds(pool, database, vertx, Duration.ofSeconds(3), Duration.ofSeconds(30),
                java.time.Clock.systemUTC(), 1000, 4, 1000).firstUse(client, client, jti, expiresAt)
                .await().atMost(Duration.ofSeconds(5));
    }

    private Instant databaseNow() throws Exception {
        return Instant.ofEpochMilli((long) (Double.parseDouble(
                Sql.query(dataSource, "SELECT extract(epoch FROM now())").trim()) * 1000));
    }

    @Test
    void anAssertionAReplicaBehindTheDatabaseStillAcceptsCannotBeReplayed() throws Exception {
        // A replica 20 s behind the database accepts this assertion (to it, it expired 20 s ago: within the skew).
        Instant expiresAt = databaseNow().minusSeconds(40);
        String jti = UUID.randomUUID().toString();
        assertTrue(seen.firstUse("client", "client", jti, expiresAt).await().atMost(Duration.ofSeconds(5)));
        // Another replica, as far behind, is shown the same assertion: a replay.
        assertFalse(firstUseElsewhere("client", jti, expiresAt));
    }

    @Test
    void aJtiIsNewAgainOnceNoReplicaCanAcceptItsAssertion() throws Exception {
        Instant longExpired = databaseNow().minusSeconds(3600);
        String jti = UUID.randomUUID().toString();
        assertTrue(seen.firstUse("client", "client", jti, longExpired).await().atMost(Duration.ofSeconds(5)));
        assertTrue(firstUseElsewhere("client", jti, longExpired));
    }
}
