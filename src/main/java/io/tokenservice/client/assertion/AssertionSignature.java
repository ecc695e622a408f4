package io.tokenservice.client.assertion;

import java.util.List;
import java.util.Optional;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/**
 * Verifies a client assertion's signature against its client's JWK Set. Only RS256, PS256, ES256 and EdDSA are
 * accepted: never {@code none}, never an HMAC (whose "secret" could be the public key). The header's kid picks the
 * key; without a kid the set must hold exactly one signing key. Keys marked for another use than {@code sig}, or
 * for another algorithm, are not candidates.
 */
public final class AssertionSignature {

    /** The JWS algorithms a client assertion may use, for discovery too. */
    public static final List<String> ALGORITHMS = List.of(AlgorithmIdentifiers.RSA_USING_SHA256,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA256, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
            AlgorithmIdentifiers.EDDSA);

    private static final AlgorithmConstraints PERMITTED = new AlgorithmConstraints(
            AlgorithmConstraints.ConstraintType.PERMIT, ALGORITHMS.toArray(String[]::new));

    /** What the set says about the signature. */
    public enum Outcome {
        VERIFIED,
        /** The kid names no key of the set (or the set has no signing key): a newer set may have it. */
        UNKNOWN_KEY,
        /** A refused algorithm, no kid with several keys, or a signature the chosen key does not verify. */
        BAD
    }

    private AssertionSignature() {
    }

    public static Outcome verify(UnverifiedAssertion assertion, JsonWebKeySet keys) {
        if (!ALGORITHMS.contains(assertion.algorithm())) {
            return Outcome.BAD;
        }
        List<PublicJsonWebKey> signing = keys.getJsonWebKeys().stream()
                .filter(key -> key instanceof PublicJsonWebKey)
                .filter(key -> key.getUse() == null || key.getUse().equals("sig"))
                .filter(key -> key.getAlgorithm() == null || key.getAlgorithm().equals(assertion.algorithm()))
                .map(key -> (PublicJsonWebKey) key)
                .toList();
        Optional<String> kid = assertion.keyId();
        List<PublicJsonWebKey> candidates = kid.isEmpty() ? signing
                : signing.stream().filter(key -> kid.get().equals(key.getKeyId())).toList();
        if (candidates.isEmpty()) {
            return Outcome.UNKNOWN_KEY;
        }
        if (kid.isEmpty() && candidates.size() > 1) {
            return Outcome.BAD;
        }
        for (PublicJsonWebKey key : candidates) {
            if (verifies(assertion.jws(), key)) {
                return Outcome.VERIFIED;
            }
        }
        return Outcome.BAD;
    }

    private static boolean verifies(JsonWebSignature jws, JsonWebKey key) {
        try {
            jws.setAlgorithmConstraints(PERMITTED);
            jws.setKey(((PublicJsonWebKey) key).getPublicKey());
            return jws.verifySignature();
        } catch (JoseException | RuntimeException e) {
            return false;
        }
    }
}
