package io.tokenservice.token;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import io.tokenservice.key.SigningAlgorithm;
import io.tokenservice.key.SigningKey;
import io.tokenservice.key.SigningKeys;
import io.tokenservice.testing.IndependentVerifier;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every configurable algorithm signs tokens that verify, from the published JWK alone, with other libraries. */
class SigningAlgorithmsTest {

    @ParameterizedTest
    @EnumSource(SigningAlgorithm.class)
    void tokenVerifiesIndependentlyWithThePublishedJwk(SigningAlgorithm algorithm) throws Exception {
        KeyPair pair = generate(algorithm);
        SigningKey key = SigningKey.of(algorithm, pair.getPrivate(), pair.getPublic());
        AccessTokenMinter minter = new AccessTokenMinter("https://issuer.example", SigningKeys.fixed(key), Clock.systemUTC());
        AccessToken token = minter.signed(new AccessGrant("client-1", List.of("read"), List.of("https://api.example"),
                Duration.ofMinutes(5))).token();
        String jwks = new ObjectMapper().writeValueAsString(Map.of("keys", List.of(key.publicJwk())));

        SignedJWT jwt = IndependentVerifier.verify(token.jwt(), jwks);
        assertEquals(algorithm.name(), jwt.getHeader().getAlgorithm().getName());
        assertEquals(key.kid(), jwt.getHeader().getKeyID());
        assertEquals("client-1", jwt.getJWTClaimsSet().getSubject());
    }

    private static KeyPair generate(SigningAlgorithm algorithm) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.keyAlgorithm());
        if (algorithm == SigningAlgorithm.ES256) {
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        } else if (algorithm != SigningAlgorithm.EdDSA) {
            generator.initialize(2048);
        }
        return generator.generateKeyPair();
    }
}
