package io.tokenservice.client;

import static io.tokenservice.testing.TokenRequests.clientCredentials;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.TestClients;
import jakarta.inject.Inject;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clients imported with the hashes other servers store get tokens with their existing secrets. The hashes were
 * made by implementations nobody here wrote (see SecretHashFormatsTest for their provenance).
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class ImportedSecretHashesTest {

    static final String SECRET = "imported-client-secret-0123456789";

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    @ParameterizedTest
    @ValueSource(strings = {
        "$pbkdf2-sha256$i=25000,l=32$AAECAwQFBgcICQoLDA0ODw$JdTx/UAo23T5qZ1xttlR+hv4cbnkhoMNwz0gXYUY+cg",
        "$pbkdf2-sha256$29000$AAECAwQFBgcICQoLDA0ODw$N8WMECixjioZhhm8h3o2ELobaEBkiN5HF0.4nY8D/IM",
        "$2y$10$lcIGP1eOG7SSdBEv3wBnE.It79NJK93mA7JzaIA./.zGfxULa38vm",
        "$2b$10$16p8B0lqvt742OV3ocMKJuboa/k/y6vX6yxgOsC0GfcgJ1NGSPP1i",
        "{bcrypt}$2b$10$16p8B0lqvt742OV3ocMKJuboa/k/y6vX6yxgOsC0GfcgJ1NGSPP1i",
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$7D/lGouIU9JvzX1+8D7cpQrBS5Eoa1r6hSEeJCWp/XU",
    })
    void importedHashAuthenticatesItsSecretAndNothingElse(String hash) {
        var client = new TestClients(dataSource, hasher).client().secretHash(hash).secret(SECRET).register();
        clientCredentials(client.clientId(), SECRET).post("/oauth2/token").then().statusCode(200);
        clientCredentials(client.clientId(), SECRET + "x").post("/oauth2/token").then()
                .statusCode(403).body("error", equalTo("invalid_client"));
    }
}
