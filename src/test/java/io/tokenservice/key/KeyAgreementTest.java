package io.tokenservice.key;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.tokenservice.database.DatabaseCalls;
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
        return replica(algorithm, KeyEncryptionKey.parse(EmbeddedPostgresResource.keyEncryptionKey()), List.of());
    }

    private ManagedKeys replica(SigningAlgorithm algorithm, KeyEncryptionKey current, List<KeyEncryptionKey> previous) {
        return new ManagedKeys(pool, new DatabaseCalls(Duration.ofSeconds(10)), vertx,
                new KeyEncryptionKeys(current, previous), algorithm, PUBLISH_AHEAD, Duration.ofDays(30), Duration.ofDays(7));
    }

    // Defect 5: a replica with the wrong key-encryption key wrote a key, after which correct replicas failed.

    @Test
    void aReplicaWithTheWrongKeyEncryptionKeyFailsAndWritesNothing() throws Exception {
        replica(SigningAlgorithm.RS256).refresh(true).await().indefinitely();
        String before = rows();
        KeyEncryptionKey wrong = KeyEncryptionKey.parse(randomKey());
        // An algorithm change makes a new key due: the wrong replica must not store it.
        ManagedKeys misconfigured = replica(SigningAlgorithm.ES256, wrong, List.of());
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> misconfigured.refresh(true).await().atMost(Duration.ofSeconds(60)));
        assertTrue(refused.getMessage().contains("the key-encryption key is wrong"), refused.getMessage());
        assertEquals(before, rows());
        assertEquals(1, replica(SigningAlgorithm.RS256).refresh(false).await().indefinitely().keys().size());
    }

    @Test
    void aReplicaThatCannotOpenTheSigningKeyNeitherRotatesNorRetires() throws Exception {
        SigningKey key = replica(SigningAlgorithm.ES256).refresh(true).await().indefinitely().activeAt(Instant.now());
        String before = rows();
        ManagedKeys outdated = replica(SigningAlgorithm.ES256, KeyEncryptionKey.parse(randomKey()), List.of());
        assertThrows(RuntimeException.class, () -> outdated.rotate().await().atMost(Duration.ofSeconds(60)));
        assertThrows(RuntimeException.class, () -> outdated.retire(key.kid()).await().atMost(Duration.ofSeconds(60)));
        assertEquals(before, rows());
    }

    @Test
    void aStoredKeyNoKeyEncryptionKeyOpensIsSkippedAndReportedNotFatal() throws Exception {
        SigningKey good = replica(SigningAlgorithm.ES256).refresh(true).await().indefinitely().activeAt(Instant.now());
        // A row sealed under a key-encryption key this replica never had (another kid, so it does not open).
        sql("INSERT INTO token_service.signing_key (kid, algorithm, public_key, private_key, kek_id, activates_at) "
                + "SELECT 'foreign-kid', algorithm, public_key, private_key, 'another-kek', activates_at - interval '1 day' "
                + "FROM token_service.signing_key");
        ManagedKeys correct = replica(SigningAlgorithm.ES256);
        KeySet keys = correct.refresh(false).await().indefinitely();
        assertEquals(List.of(good.kid()), keys.keys().stream().map(key -> key.key().kid()).toList());
        assertEquals(java.util.Set.of("foreign-kid"), correct.unreadable());
    }

    @Test
    void rotatingTheKeyEncryptionKeyReSealsStoredKeysUnderTheNewOne() throws Exception {
        KeyEncryptionKey old = KeyEncryptionKey.parse(EmbeddedPostgresResource.keyEncryptionKey());
        KeyEncryptionKey next = KeyEncryptionKey.parse(randomKey());
        SigningKey key = replica(SigningAlgorithm.ES256, old, List.of()).refresh(true).await().indefinitely()
                .activeAt(Instant.now());
        replica(SigningAlgorithm.ES256, next, List.of(old)).refresh(true).await().indefinitely();
        assertEquals(next.id() + "\n", column("kek_id"));
        assertFalse(rows().contains(old.id()));
        // The new key alone now opens it: the old one can be dropped from the configuration.
        assertEquals(key.kid(), replica(SigningAlgorithm.ES256, next, List.of()).refresh(true).await().indefinitely()
                .activeAt(Instant.now()).kid());
    }

    @Test
    void keyEncryptionKeyIdsNameTheKeyWithoutRevealingIt() {
        String base64 = randomKey();
        KeyEncryptionKey kek = KeyEncryptionKey.parse(base64);
        assertEquals(kek.id(), KeyEncryptionKey.parse(base64).id());
        assertNotEquals(kek.id(), KeyEncryptionKey.parse(randomKey()).id());
        assertFalse(base64.contains(kek.id()));
        assertEquals(16, kek.id().length());
    }

    private String rows() throws Exception {
        return column("kid || ' ' || encode(private_key, 'base64') || ' ' || coalesce(kek_id, '')");
    }

    private String column(String expression) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT " + expression + " FROM token_service.signing_key ORDER BY kid")) {
            StringBuilder all = new StringBuilder();
            while (rows.next()) {
                all.append(rows.getString(1)).append('\n');
            }
            return all.toString();
        }
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
