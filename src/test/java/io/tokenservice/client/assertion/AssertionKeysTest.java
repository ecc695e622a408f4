package io.tokenservice.client.assertion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import io.tokenservice.client.AuthenticationFailure;
import io.tokenservice.client.ClientAuthenticationException;
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
class AssertionKeysTest {

    static final RSAKey KEY = ClientAssertions.rsa("k1");
    static final String JWKS = ClientAssertions.jwks(KEY);
    final AssertionKeys keys = new AssertionKeys(null);

    private static UnverifiedAssertion assertion(RSAKey signer) {
        return UnverifiedAssertion.parse(ClientAssertions.sign(signer, JWSAlgorithm.RS256,
                ClientAssertions.claims("client", "https://issuer.example").build()));
    }

    private long refusalNanos(UnverifiedAssertion assertion) {
        long started = System.nanoTime();
        ClientAuthenticationException refused = assertThrows(ClientAuthenticationException.class,
                () -> keys.verifiedInline(assertion, JWKS).await().atMost(Duration.ofSeconds(5)));
        long elapsed = System.nanoTime() - started;
        assertEquals(AuthenticationFailure.BAD_SIGNATURE, refused.reason());
        return elapsed;
    }

    @Test
    void aKidTheClientDoesNotHaveCostsWhatAForgedSignatureCosts() {
        UnverifiedAssertion unknownKid = assertion(ClientAssertions.rsa("not-its-kid"));
        UnverifiedAssertion forged = assertion(new RSAKey.Builder(ClientAssertions.rsa("k1")).keyID("k1").build());
        int rounds = 301;
        long[] unknown = new long[rounds];
        long[] bad = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            unknown[i] = refusalNanos(unknownKid);
            bad[i] = refusalNanos(forged);
        }
        Arrays.sort(unknown);
        Arrays.sort(bad);
        double ratio = (double) unknown[rounds / 2] / bad[rounds / 2];
        // One RSA verification either way (a decoy's for the unknown kid): the medians are alike, not 10x apart.
        assertTrue(ratio > 0.5, "an unknown kid is refused " + (1 / ratio) + " times faster than a forged signature");
    }

    @Test
    void aSetWhoseKeysShareAKidIsRefusedWithoutTryingThemAll() throws Exception {
        RSAKey other = ClientAssertions.rsa("k1");
        JsonWebKeySet shared = new JsonWebKeySet(JsonWebKey.Factory.newJwk(KEY.toPublicJWK().toJSONObject()),
                JsonWebKey.Factory.newJwk(other.toPublicJWK().toJSONObject()));
        assertEquals(AssertionSignature.Outcome.REFUSED, AssertionSignature.verify(assertion(other), shared));
    }

    @Test
    void withoutAKidTheOnlyKeyOfTheAlgorithmsTypeIsTried() throws Exception {
        String signedWithoutKid = ClientAssertions.sign(new RSAKey.Builder(KEY).keyID(null).build(), JWSAlgorithm.RS256,
                ClientAssertions.claims("client", "https://issuer.example").build());
        JsonWebKeySet mixed = JwkSetRules.usableKeys(ClientAssertions.jwks(KEY, ClientAssertions.ec("e1")));
        assertEquals(AssertionSignature.Outcome.VERIFIED,
                AssertionSignature.verify(UnverifiedAssertion.parse(signedWithoutKid), mixed));
    }
}
