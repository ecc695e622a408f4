package io.tokenservice.client.assertion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.JWSAlgorithm;
import io.tokenservice.testing.ClientAssertions;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.junit.jupiter.api.Test;

/** Signature checks that need no server: the decoys an unknown client's assertion is checked against. */
class AssertionSignatureTest {

    @Test
    void everyAcceptedAlgorithmHasADecoyKeyOfItsType() {
        assertEquals(2048, ((RSAPublicKey) AssertionSignature.Decoys.KEYS.get("RS256")).getModulus().bitLength());
        assertEquals(AssertionSignature.Decoys.KEYS.get("RS256"), AssertionSignature.Decoys.KEYS.get("PS256"));
        assertEquals(256, ((ECPublicKey) AssertionSignature.Decoys.KEYS.get("ES256")).getParams().getCurve().getField()
                .getFieldSize());
        assertEquals("Ed25519", ((EdECPublicKey) AssertionSignature.Decoys.KEYS.get("EdDSA")).getParams().getName());
        assertEquals(AssertionSignature.ALGORITHMS.size(), AssertionSignature.Decoys.KEYS.size());
    }

    @Test
    void spendingAVerificationLeavesTheAssertionToItsOwnKey() throws Exception {
        var key = ClientAssertions.ec("k");
        UnverifiedAssertion assertion = UnverifiedAssertion.parse(ClientAssertions.sign(key, JWSAlgorithm.ES256,
                ClientAssertions.claims("c", "https://as.example/token").build()));
        AssertionSignature.spend(assertion);
        // The same parsed assertion still verifies against its own key afterwards, and against nothing else.
        assertEquals(AssertionSignature.Outcome.VERIFIED,
                AssertionSignature.verify(assertion, new JsonWebKeySet(ClientAssertions.jwks(key))));
        assertEquals(AssertionSignature.Outcome.BAD, AssertionSignature.verify(assertion,
                new JsonWebKeySet(ClientAssertions.jwks(new com.nimbusds.jose.jwk.ECKey.Builder(ClientAssertions.ec("x"))
                        .keyID("k").build()))));
    }
}
