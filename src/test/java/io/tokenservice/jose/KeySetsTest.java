package io.tokenservice.jose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import io.tokenservice.testing.ClientAssertions;
import java.time.Duration;
import java.util.Arrays;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: an assertion costs at most one verification (point 5), and exactly one when it is refused, so that the
 * time of a refusal does not tell whether the client has the kid it names (point 7 (a)).
 */
class KeySetsTest {

    static final RSAKey KEY = ClientAssertions.rsa("k1");
    static final String JWKS = ClientAssertions.jwks(KEY);
    final KeySets keys = new KeySets(null);

    private static UnverifiedJwt assertion(RSAKey signer) {
        return UnverifiedJwt.parse(compact(signer));
    }

    private static String compact(RSAKey signer) {
        return ClientAssertions.sign(signer, JWSAlgorithm.RS256, ClientAssertions.claims("client", "https://issuer.example").build());
    }

    private long refusalNanos(String compact) {
        // Parsed afresh each time, as each request is: jose4j remembers a JWS's verification per key.
        UnverifiedJwt assertion = UnverifiedJwt.parse(compact);
        long started = System.nanoTime();
        JwtRejectedException refused = assertThrows(JwtRejectedException.class,
                () -> keys.verifiedInline(assertion, JWKS).await().atMost(Duration.ofSeconds(5)));
        long elapsed = System.nanoTime() - started;
        assertEquals(JwtRejectedException.Reason.BAD_SIGNATURE, refused.reason());
        return elapsed;
    }

    private long medianRefusalNanos(String assertion, int rounds) {
        long[] nanos = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            nanos[i] = refusalNanos(assertion);
        }
        Arrays.sort(nanos);
        return nanos[rounds / 2];
    }

    @Test
    void aKidTheClientDoesNotHaveCostsWhatAForgedSignatureCosts() {
        String unknownKid = compact(ClientAssertions.rsa("not-its-kid"));
        String forged = compact(new RSAKey.Builder(ClientAssertions.rsa("k1")).keyID("k1").build());
        // Refused before any key is looked at (HS256 is never accepted): what a refusal costs without cryptography.
        String noCrypto = new org.jose4j.jws.JsonWebSignature() {
            {
                setPayload(ClientAssertions.claims("client", "https://issuer.example").build().toString());
                setAlgorithmHeaderValue("HS256");
                setKey(new javax.crypto.spec.SecretKeySpec(new byte[32], "HmacSHA256"));
            }

            String compact() {
                try {
                    return getCompactSerialization();
                } catch (org.jose4j.lang.JoseException e) {
                    throw new IllegalStateException(e);
                }
            }
        }.compact();
        int rounds = 301;
        for (int warm = 0; warm < 2; warm++) {
            medianRefusalNanos(unknownKid, rounds);
            medianRefusalNanos(forged, rounds);
            medianRefusalNanos(noCrypto, rounds);
        }
        long base = medianRefusalNanos(noCrypto, rounds);
        long verification = medianRefusalNanos(forged, rounds) - base;
        long unknown = medianRefusalNanos(unknownKid, rounds) - base;
        // One RSA verification either way (a decoy's for the unknown kid), on top of what any refusal costs.
        assertTrue(unknown > verification / 2, "an unknown kid costs " + unknown / 1000 + " µs beyond a refusal without "
                + "cryptography, a forged signature " + verification / 1000 + " µs");
    }

    @Test
    void aSetWhoseKeysShareAKidIsRefusedWithoutTryingThemAll() throws Exception {
        RSAKey other = ClientAssertions.rsa("k1");
        JsonWebKeySet shared = new JsonWebKeySet(JsonWebKey.Factory.newJwk(KEY.toPublicJWK().toJSONObject()),
                JsonWebKey.Factory.newJwk(other.toPublicJWK().toJSONObject()));
        assertEquals(Signatures.Outcome.REFUSED, Signatures.verify(assertion(other), shared));
    }

    @Test
    void withoutAKidTheOnlyKeyOfTheAlgorithmsTypeIsTried() throws Exception {
        String signedWithoutKid = ClientAssertions.sign(new RSAKey.Builder(KEY).keyID(null).build(), JWSAlgorithm.RS256,
                ClientAssertions.claims("client", "https://issuer.example").build());
        JsonWebKeySet mixed = JwkSetRules.usableKeys(ClientAssertions.jwks(KEY, ClientAssertions.ec("e1")));
        assertEquals(Signatures.Outcome.VERIFIED,
                Signatures.verify(UnverifiedJwt.parse(signedWithoutKid), mixed));
    }
}
