package io.tokenservice.key;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Managed keys in the database: replicas starting together on an empty table agree on one key; the private
 * half is stored sealed; a change of algorithm is a rotation like any other. Each test starts from an empty key
 * table, so the class runs in an application of its own (the profile) and leaves one valid key behind.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@TestProfile(KeyAgreementTest.OwnApplication.class)
class KeyAgreementTest {

    static final Duration PUBLISH_AHEAD = Duration.ofHours(1);

    public static class OwnApplication implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("token-service.issuer", "http://key-agreement.test");
        }
    }

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    DataSource dataSource;

    @BeforeEach
    @AfterEach
    void emptyKeyTable() throws Exception {
        sql("DELETE FROM token_service.signing_key");
    }

    private ManagedKeys replica(SigningAlgorithm algorithm) {
        return new ManagedKeys(pool, new io.tokenservice.database.DatabaseCalls(Duration.ofSeconds(10)), vertx, KeyEncryptionKey.parse(EmbeddedPostgresResource.keyEncryptionKey()),
                algorithm, PUBLISH_AHEAD, Duration.ofDays(30), Duration.ofDays(7));
    }

    @Test
    void replicasStartingTogetherAgreeOnOneFirstKey() throws Exception {
        List<Uni<KeySet>> starts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            starts.add(replica(SigningAlgorithm.RS256).refresh(true));
        }
        List<KeySet> seen = Uni.join().all(starts).andFailFast().await().atMost(Duration.ofSeconds(60));
        Set<String> kids = seen.stream().flatMap(set -> set.keys().stream()).map(key -> key.key().kid())
                .collect(Collectors.toSet());
        assertEquals(1, kids.size(), "replicas saw " + kids);
        assertEquals(1, count());
        seen.forEach(set -> assertEquals(kids.iterator().next(), set.activeAt(Instant.now()).kid()));
    }

    @Test
    void privateKeyIsStoredSealedUnderTheKeyEncryptionKey() throws Exception {
        SigningKey key = replica(SigningAlgorithm.ES256).refresh(true).await().indefinitely().activeAt(Instant.now());
        byte[] sealed;
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT private_key FROM token_service.signing_key")) {
            row.next();
            sealed = row.getBytes(1);
        }
        byte[] pkcs8 = key.privateKey().getEncoded();
        assertTrue(Collections.indexOfSubList(bytes(sealed), bytes(pkcs8)) < 0, "the PKCS#8 key is stored in the clear");
        KeyEncryptionKey kek = KeyEncryptionKey.parse(EmbeddedPostgresResource.keyEncryptionKey());
        byte[] opened = kek.open(sealed, key.kid());
        assertArrayEquals(pkcs8, opened);
        assertTrue(signsFor(key, KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(opened))));
        assertThrows(IllegalStateException.class, () -> kek.open(sealed, "another-kid"));
        assertThrows(IllegalStateException.class, () -> KeyEncryptionKey.parse(randomKey()).open(sealed, key.kid()));
    }

    @Test
    void changingTheAlgorithmAtStartupSchedulesANewKeyAheadOfUse() throws Exception {
        SigningKey rsa = replica(SigningAlgorithm.RS256).refresh(true).await().indefinitely().activeAt(Instant.now());
        KeySet afterChange = replica(SigningAlgorithm.EdDSA).refresh(true).await().indefinitely();
        assertEquals(2, afterChange.keys().size());
        ScheduledKey next = afterChange.keys().get(1);
        assertEquals(SigningAlgorithm.EdDSA, next.key().algorithm());
        assertTrue(next.activatesAt().isAfter(Instant.now().plus(PUBLISH_AHEAD).minusSeconds(60)));
        assertEquals(rsa.kid(), afterChange.activeAt(Instant.now()).kid());
        assertEquals(next.key().kid(), afterChange.activeAt(next.activatesAt()).kid());
        // Periodic refreshes leave the schedule alone; one pending key at a time.
        assertEquals(2, replica(SigningAlgorithm.EdDSA).refresh(true).await().indefinitely().keys().size());
        assertEquals(2, count());
    }

    private static boolean signsFor(SigningKey key, PrivateKey privateKey) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(privateKey);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(key.publicKey());
        verifier.update(new byte[] {1, 2, 3});
        return verifier.verify(signature);
    }

    private static List<Byte> bytes(byte[] array) {
        List<Byte> list = new ArrayList<>(array.length);
        for (byte b : array) {
            list.add(b);
        }
        return list;
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private int count() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM token_service.signing_key")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private void sql(String statement) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement s = connection.createStatement()) {
            s.execute(statement);
        }
    }
}
