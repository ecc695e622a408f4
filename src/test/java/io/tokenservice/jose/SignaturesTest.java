package io.tokenservice.jose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.JWSAlgorithm;
import io.tokenservice.testing.ClientAssertions;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.junit.jupiter.api.Test;

/** Signature checks that need no server: the decoys an unknown client's assertion is checked against. */
class SignaturesTest {

    @Test
    void everyAcceptedAlgorithmHasADecoyKeyOfItsType() {
        assertEquals(2048, ((RSAPublicKey) Signatures.Decoys.KEYS.get("RS256")).getModulus().bitLength());
        assertEquals(Signatures.Decoys.KEYS.get("RS256"), Signatures.Decoys.KEYS.get("PS256"));
        assertEquals(256, ((ECPublicKey) Signatures.Decoys.KEYS.get("ES256")).getParams().getCurve().getField()
                .getFieldSize());
        assertEquals("Ed25519", ((EdECPublicKey) Signatures.Decoys.KEYS.get("EdDSA")).getParams().getName());
        assertEquals(Signatures.ALGORITHMS.size(), Signatures.Decoys.KEYS.size());
    }

    @Test
    void spendingAVerificationLeavesTheAssertionToItsOwnKey() throws Exception {
        var key = ClientAssertions.ec("k");
        UnverifiedJwt assertion = UnverifiedJwt.parse(ClientAssertions.sign(key, JWSAlgorithm.ES256,
                ClientAssertions.claims("c", "https://as.example/token").build()));
        Signatures.spend(assertion);
        // The same parsed assertion still verifies against its own key afterwards, and against nothing else.
        assertEquals(Signatures.Outcome.VERIFIED,
                Signatures.verify(assertion, new JsonWebKeySet(ClientAssertions.jwks(key))));
        assertEquals(Signatures.Outcome.BAD, Signatures.verify(assertion,
                new JsonWebKeySet(ClientAssertions.jwks(new com.nimbusds.jose.jwk.ECKey.Builder(ClientAssertions.ec("x"))
                        .keyID("k").build()))));
    }
}
