package io.tokenservice.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.token.VerifiedToken;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Revocations made elsewhere reach this replica when PostgreSQL announces them, and on the periodic read when the
 * announcement was lost; expired ones are forgotten and purged.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class RevokedTokensTest {

    @Inject
    RevokedTokens revoked;

    @Inject
    DataSource dataSource;

    @Test
    void revocationStoredByAnotherReplicaCountsAsSoonAsItIsAnnounced() throws Exception {
        String jti = UUID.randomUUID().toString();
        insert(jti, "now() + interval '1 hour'");
        io.tokenservice.testing.Eventually.within(Duration.ofSeconds(2),
                () -> assertTrue(revoked.isRevoked(token(jti)).await().indefinitely()));
    }

    @Test
    void revocationWhoseAnnouncementWasLostCountsAfterTheNextRead() throws Exception {
        String jti = UUID.randomUUID().toString();
        execute("ALTER TABLE token_service.revoked_token DISABLE TRIGGER revoked_token_inserted");
        try {
            insert(jti, "now() + interval '1 hour'");
        } finally {
            execute("ALTER TABLE token_service.revoked_token ENABLE TRIGGER revoked_token_inserted");
        }
        assertFalse(revoked.isRevoked(token(jti)).await().indefinitely());
        revoked.refresh().await().atMost(Duration.ofSeconds(10));
        assertTrue(revoked.isRevoked(token(jti)).await().indefinitely());
    }

    @Test
    void afterASubscriptionMemoryCannotTellUntilWhatWasMissedIsRead() throws Exception {
        String jti = UUID.randomUUID().toString();
        assertEquals(java.util.Optional.of(false), revoked.revokedAtHand(jti));
        // The catch-up read waits behind this lock, however fast the database would answer it.
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(false);
            try (PreparedStatement statement = lock.prepareStatement(
                    "LOCK TABLE token_service.revoked_token IN ACCESS EXCLUSIVE MODE")) {
                statement.execute();
            }
            // As after a reconnection: announcements sent while nobody listened are lost until the catch-up read.
            revoked.subscribed();
            assertEquals(java.util.Optional.empty(), revoked.revokedAtHand(jti));
            lock.rollback();
        }
        io.tokenservice.testing.Eventually.within(Duration.ofSeconds(5),
                () -> assertEquals(java.util.Optional.of(false), revoked.revokedAtHand(jti)));
    }

    private void execute(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.execute();
        }
    }

    @Test
    void revocationOfATokenPastExpAndClockSkewIsPurged() throws Exception {
        String jti = UUID.randomUUID().toString();
        insert(jti, "now() - interval '31 seconds'");
        revoked.refresh().await().atMost(Duration.ofSeconds(10));
        assertFalse(revoked.isRevoked(token(jti)).await().indefinitely());
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "SELECT count(*) FROM token_service.revoked_token WHERE jti = ?")) {
            query.setString(1, jti);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                assertEquals(0, rows.getInt(1));
            }
        }
    }

    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @Inject
    io.vertx.core.Vertx vertx;

    /** A replica's revocations with room for two in memory and two revocations per client and minute. */
    private RevokedTokens small() {
        return new RevokedTokens(pool, vertx, Duration.ofMinutes(1), Duration.ofSeconds(30), Duration.ofSeconds(5),
                new io.tokenservice.database.DatabaseCalls(Duration.ofSeconds(5)), 2, 2, 100,
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    // Issue 11, defect 5: revoked jtis were held in memory without bound, and a client could revoke at will.

    @Test
    void revocationsBeyondWhatMemoryHoldsAreFoundInTheDatabase() {
        RevokedTokens bounded = small();
        Instant exp = Instant.now().plusSeconds(3600);
        java.util.List<String> jtis = java.util.List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                UUID.randomUUID().toString());
        for (int i = 0; i < jtis.size(); i++) {
            bounded.revoke(jtis.get(i), "client-" + i, exp).await().atMost(Duration.ofSeconds(10));
        }
        assertEquals(2, bounded.inMemory());
        for (String jti : jtis) {
            assertTrue(bounded.isRevoked(token(jti)).await().atMost(Duration.ofSeconds(10)), jti);
        }
        assertFalse(bounded.isRevoked(token(UUID.randomUUID().toString())).await().atMost(Duration.ofSeconds(10)));
    }

    @Test
    void aClientRevokingBeyondItsRateIsSlowedDown() {
        RevokedTokens limited = small();
        Instant exp = Instant.now().plusSeconds(3600);
        limited.revoke(UUID.randomUUID().toString(), "eager", exp).await().atMost(Duration.ofSeconds(10));
        limited.revoke(UUID.randomUUID().toString(), "eager", exp).await().atMost(Duration.ofSeconds(10));
        org.junit.jupiter.api.Assertions.assertThrows(io.tokenservice.throttle.ThrottledException.class,
                () -> limited.revoke(UUID.randomUUID().toString(), "eager", exp).await().atMost(Duration.ofSeconds(10)));
        limited.revoke(UUID.randomUUID().toString(), "someone-else", exp).await().atMost(Duration.ofSeconds(10));
    }

    /** Our own checks accept a token until exp + clock-skew (30 s): its revocation must count that long. */
    @Test
    void revocationOfATokenJustPastExpCountsUntilTheClockSkewHasPassed() throws Exception {
        String jti = UUID.randomUUID().toString();
        insert(jti, "now() - interval '1 second'");
        revoked.refresh().await().atMost(Duration.ofSeconds(10));
        assertTrue(revoked.isRevoked(token(jti)).await().indefinitely());
        assertEquals(1, count(jti));
    }

    private int count(String jti) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "SELECT count(*) FROM token_service.revoked_token WHERE jti = ?")) {
            query.setString(1, jti);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static VerifiedToken token(String jti) {
        return new VerifiedToken("elsewhere", "elsewhere", List.of(), List.of(), jti, Instant.now(), Instant.now().plusSeconds(3600),
                0, java.util.OptionalLong.empty(), Map.of());
    }

    private void insert(String jti, String expiresAt) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO token_service.revoked_token (jti, client_id, expires_at) VALUES (?, 'elsewhere', " + expiresAt + ")")) {
            insert.setString(1, jti);
            insert.executeUpdate();
        }
    }
}
