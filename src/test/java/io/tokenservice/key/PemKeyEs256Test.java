package io.tokenservice.key;

import static io.restassured.RestAssured.given;
import static io.tokenservice.testing.TokenRequests.clientCredentials;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.SignedJWT;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.testing.AdminTokens;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.IndependentVerifier;
import io.tokenservice.testing.PemFiles;
import io.tokenservice.testing.TestClients;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * An operator's ES256 key pair from PEM files (as Kubernetes mounts a secret): the JWKS publishes exactly that
 * key under its RFC 7638 thumbprint, and tokens signed with it verify independently.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@TestProfile(PemKeyEs256Test.Es256FromPemFiles.class)
class PemKeyEs256Test {

    static KeyPair pair;

    public static class Es256FromPemFiles implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                pair = generator.generateKeyPair();
                Path directory = Files.createTempDirectory("token-service-keys");
                directory.toFile().deleteOnExit();
                Path privateKey = PemFiles.write(directory, "private.pem", "PRIVATE KEY", pair.getPrivate());
                Path publicKey = PemFiles.write(directory, "public.pem", "PUBLIC KEY", pair.getPublic());
                privateKey.toFile().deleteOnExit();
                publicKey.toFile().deleteOnExit();
                return Map.of("token-service.keys.algorithm", "ES256",
                        "token-service.keys.private-key-file", privateKey.toString(),
                        "token-service.keys.public-key-file", publicKey.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    @Test
    void jwksPublishesTheConfiguredKeyUnderItsThumbprint() throws Exception {
        String thumbprint = new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic()).build()
                .computeThumbprint().toString();
        given().get("/.well-known/jwks.json").then()
                .statusCode(200)
                .header("Cache-Control", startsWith("public"))
                .body("keys", hasSize(1))
                .body("keys[0].kid", equalTo(thumbprint))
                .body("keys[0].kty", equalTo("EC"))
                .body("keys[0].crv", equalTo("P-256"))
                .body("keys[0].alg", equalTo("ES256"))
                .body("keys[0].use", equalTo("sig"));
    }

    @Test
    void adminApiShowsThePemKeyWithoutASchedule() throws Exception {
        var admin = new TestClients(dataSource, hasher).client().administrator().register();
        String thumbprint = new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic()).build().computeThumbprint().toString();
        given().header("Authorization", "Bearer " + AdminTokens.issued(admin)).get("/admin/keys").then()
                .statusCode(200)
                .body("source", equalTo("pem-files"))
                .body("keys", hasSize(1))
                .body("keys[0].kid", equalTo(thumbprint))
                .body("keys[0].status", equalTo("active"))
                .body("keys[0].activates_at", nullValue());
        given().header("Authorization", "Bearer " + AdminTokens.issued(admin)).post("/admin/keys/rotate").then()
                .statusCode(409).body("error", equalTo("conflict"));
    }

    @Test
    void tokensAreEs256SignedByTheConfiguredKey() throws Exception {
        var client = new TestClients(dataSource, hasher).client().register();
        String token = clientCredentials(client.clientId(), client.secret()).post("/oauth2/token")
                .then().statusCode(200).extract().path("access_token");
        SignedJWT jwt = IndependentVerifier.verify(token);
        assertEquals("ES256", jwt.getHeader().getAlgorithm().getName());
        assertEquals(new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic()).build().computeThumbprint().toString(),
                jwt.getHeader().getKeyID());
    }
}
