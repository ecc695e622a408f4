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

/** Revocations made elsewhere reach this replica on refresh; expired ones are forgotten and purged. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class RevokedTokensTest {

    @Inject
    RevokedTokens revoked;

    @Inject
    DataSource dataSource;

    @Test
    void revocationStoredByAnotherReplicaCountsAfterRefresh() throws Exception {
        String jti = UUID.randomUUID().toString();
        insert(jti, "now() + interval '1 hour'");
        assertFalse(revoked.isRevoked(token(jti)));
        revoked.refresh().await().atMost(Duration.ofSeconds(10));
        assertTrue(revoked.isRevoked(token(jti)));
    }

    @Test
    void revocationOfATokenPastExpAndClockSkewIsPurged() throws Exception {
        String jti = UUID.randomUUID().toString();
        insert(jti, "now() - interval '31 seconds'");
        revoked.refresh().await().atMost(Duration.ofSeconds(10));
        assertFalse(revoked.isRevoked(token(jti)));
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "SELECT count(*) FROM token_service.revoked_token WHERE jti = ?")) {
            query.setString(1, jti);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                assertEquals(0, rows.getInt(1));
            }
        }
    }

    /** Our own checks accept a token until exp + clock-skew (30 s): its revocation must count that long. */
    @Test
    void revocationOfATokenJustPastExpCountsUntilTheClockSkewHasPassed() throws Exception {
        String jti = UUID.randomUUID().toString();
        insert(jti, "now() - interval '1 second'");
        revoked.refresh().await().atMost(Duration.ofSeconds(10));
        assertTrue(revoked.isRevoked(token(jti)));
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
                0, Map.of());
    }

    private void insert(String jti, String expiresAt) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO token_service.revoked_token (jti, client_id, expires_at) VALUES (?, 'elsewhere', " + expiresAt + ")")) {
            insert.setString(1, jti);
            insert.executeUpdate();
        }
    }
}
