package io.tokenservice.client;

import static io.tokenservice.testing.TokenRequests.clientCredentials;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.Eventually;
import io.tokenservice.testing.Sql;
import io.tokenservice.testing.TestClients;
import jakarta.inject.Inject;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A secret stored at another cost than new hashes get (an older Argon2id cost, an imported PBKDF2 hash) is hashed
 * again at today's cost when it next verifies, and keeps working; a declared client's hash is the file's and stays.
 * (The test profile's cost is m=1024, t=1.)
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class SecretRehashTest {

    static final String SECRET = "a-secret-stored-at-an-older-cost-0123456789";
    // m=19456, t=2: the cost new hashes had before m=7168, t=5.
    static final SecretHasher OLDER_COST = new SecretHasher(19456, 2, 1, 1, 4);

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    private String storedHash(String clientId) throws Exception {
        return Sql.query(dataSource, "SELECT secret_hash FROM token_service.client WHERE client_id = ?", clientId).strip();
    }

    @Test
    void aSecretAtAnOlderCostIsHashedAgainWhenItVerifiesAndKeepsWorking() throws Exception {
        String older = OLDER_COST.hash(SECRET).await().indefinitely();
        var client = new TestClients(dataSource, hasher).client().secretHash(older).secret(SECRET).register();

        clientCredentials(client.clientId(), SECRET).post("/oauth2/token").then().statusCode(200);

        Eventually.within(Duration.ofSeconds(10), () ->
                assertTrue(storedHash(client.clientId()).startsWith("$argon2id$v=19$m=1024,t=1,p=1$"),
                        storedHash(client.clientId())));
        clientCredentials(client.clientId(), SECRET).post("/oauth2/token").then().statusCode(200);
        clientCredentials(client.clientId(), SECRET + "x").post("/oauth2/token").then().statusCode(403);
    }

    @Test
    void anImportedPbkdf2HashBecomesArgon2id() throws Exception {
        String imported = "$pbkdf2-sha256$i=25000,l=32$AAECAwQFBgcICQoLDA0ODw$JdTx/UAo23T5qZ1xttlR+hv4cbnkhoMNwz0gXYUY+cg";
        var client = new TestClients(dataSource, hasher).client().secretHash(imported)
                .secret("imported-client-secret-0123456789").register();

        clientCredentials(client.clientId(), "imported-client-secret-0123456789").post("/oauth2/token").then()
                .statusCode(200);

        Eventually.within(Duration.ofSeconds(10), () ->
                assertTrue(storedHash(client.clientId()).startsWith("$argon2id$"), storedHash(client.clientId())));
    }

    @Test
    void aDeclaredClientsHashIsTheFilesAndIsNotHashedAgain() throws Exception {
        String older = OLDER_COST.hash(SECRET).await().indefinitely();
        TestClients clients = new TestClients(dataSource, hasher);
        var declared = clients.client().secretHash(older).secret(SECRET).register();
        Sql.update(dataSource, "UPDATE token_service.client SET source = 'config' WHERE client_id = ?", declared.clientId());
        var registered = clients.client().secretHash(older).secret(SECRET).register();

        clientCredentials(declared.clientId(), SECRET).post("/oauth2/token").then().statusCode(200);
        clientCredentials(registered.clientId(), SECRET).post("/oauth2/token").then().statusCode(200);

        // Rehashes run one after another on the admin lane: once the later one is stored, the earlier is decided.
        Eventually.within(Duration.ofSeconds(10), () ->
                assertTrue(storedHash(registered.clientId()).startsWith("$argon2id$v=19$m=1024,t=1,p=1$")));
        assertEquals(older, storedHash(declared.clientId()));
    }
}
