package io.tokenservice.jose;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.OctetKeyPairJsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/**
 * Verifies a presented JWT's signature against its issuer's JWK Set (keys kept to {@link JwkSetRules}). Only
 * RS256, PS256, ES256 and EdDSA are accepted: never {@code none}, never an HMAC (whose "secret" could be the public
 * key). The header's kid picks the key; without a kid the set must hold exactly one key of the algorithm's type.
 * Keys marked for another use than {@code sig}, for another algorithm, or of another type, are not candidates. An
 * assertion costs at most one verification.
 */
public final class Signatures {

    /** The JWS algorithms a presented JWT may use (client assertions, subject tokens), for discovery too. */
    public static final List<String> ALGORITHMS = List.of(AlgorithmIdentifiers.RSA_USING_SHA256,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA256, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
            AlgorithmIdentifiers.EDDSA);

    private static final AlgorithmConstraints PERMITTED = new AlgorithmConstraints(
            AlgorithmConstraints.ConstraintType.PERMIT, ALGORITHMS.toArray(String[]::new));

    /** What the set says about the signature. */
    public enum Outcome {
        VERIFIED,
        /** The kid names no key of the set (or the set has no key for the algorithm): a newer set may have it. */
        UNKNOWN_KEY,
        /** The chosen key does not verify the signature: one verification was spent. */
        BAD,
        /** A refused algorithm, or no kid with several candidate keys: decided without any verification. */
        REFUSED;

        /** Whether a verification was spent to reach this outcome. */
        public boolean verified() {
            return this == VERIFIED || this == BAD;
        }
    }

    private Signatures() {
    }

    public static Outcome verify(UnverifiedJwt assertion, JsonWebKeySet keys) {
        if (!ALGORITHMS.contains(assertion.algorithm())) {
            return Outcome.REFUSED;
        }
        Optional<String> kid = assertion.keyId();
        List<PublicJsonWebKey> candidates = keys.getJsonWebKeys().stream()
                .filter(key -> key instanceof PublicJsonWebKey)
                .filter(key -> key.getUse() == null || key.getUse().equals("sig"))
                .filter(key -> key.getAlgorithm() == null || key.getAlgorithm().equals(assertion.algorithm()))
                .filter(key -> ofTheAlgorithmsType(key, assertion.algorithm()))
                .filter(key -> kid.isEmpty() || kid.get().equals(key.getKeyId()))
                .map(key -> (PublicJsonWebKey) key)
                .toList();
        if (candidates.isEmpty()) {
            return Outcome.UNKNOWN_KEY;
        }
        if (candidates.size() > 1) {
            // No kid and several keys of the type, or (in a set not kept to the rules) one kid on several keys.
            return Outcome.REFUSED;
        }
        return verifies(assertion.jws(), candidates.get(0)) ? Outcome.VERIFIED : Outcome.BAD;
    }

    /**
     * Whether {@code key} (a key the JWS carries itself, as a DPoP proof's {@code jwk}) verifies {@code jws} under
     * the JWS's own algorithm: an accepted one, of the key's type.
     */
    public static boolean verifiedBy(JsonWebSignature jws, PublicJsonWebKey key) {
        String algorithm = jws.getAlgorithmHeaderValue();
        return ALGORITHMS.contains(algorithm) && ofTheAlgorithmsType(key, algorithm) && verifies(jws, key);
    }

    private static boolean ofTheAlgorithmsType(JsonWebKey key, String algorithm) {
        return switch (algorithm) {
            case AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_PSS_USING_SHA256 -> key instanceof RsaJsonWebKey;
            case AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256 -> key instanceof EllipticCurveJsonWebKey;
            case AlgorithmIdentifiers.EDDSA -> key instanceof OctetKeyPairJsonWebKey;
            default -> false;
        };
    }

    /**
     * Spends one verification of the assertion's algorithm against a decoy key, which no signature verifies: an
     * assertion naming no client (or a client of another method, or a kid its client does not have) costs what one
     * whose signature fails does, so the time of a refusal does not tell which clients or keys exist (the secret
     * path checks a dummy hash for the same reason).
     */
    public static void spend(UnverifiedJwt assertion) {
        PublicKey decoy = Decoys.KEYS.get(assertion.algorithm());
        if (decoy instanceof java.security.interfaces.RSAPublicKey) {
            // An RSA signature's length is its key's: a decoy of that size costs what the client's key would.
            int bits = assertion.jws().getEncodedSignature().length() * 6 / 8 * 8;
            decoy = Decoys.RSA_BY_BITS.getOrDefault(bits, decoy);
        }
        if (decoy != null) {
            verifies(assertion.jws(), decoy);
        }
    }

    private static boolean verifies(JsonWebSignature jws, JsonWebKey key) {
        return verifies(jws, ((PublicJsonWebKey) key).getPublicKey());
    }

    private static boolean verifies(JsonWebSignature jws, PublicKey key) {
        try {
            jws.setAlgorithmConstraints(PERMITTED);
            jws.setKey(key);
            return jws.verifySignature();
        } catch (JoseException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Public keys nobody holds the private half of, one per accepted algorithm, made at first use (not at build
     * time): RSA keys whose n-bit modulus is 2^n - 1 (no RSA key pair has it), for n = 2048, 3072 and 4096, the
     * generator of P-256, and the Ed25519 public key of RFC 8037 Appendix A.
     */
    static final class Decoys {
        static final Map<String, PublicKey> KEYS = make();
        /** RSA decoys of every size a key set may hold, by modulus bits. */
        static final Map<Integer, PublicKey> RSA_BY_BITS = Map.of(2048, rsa(2048), 3072, rsa(3072), 4096, rsa(4096));

        private static PublicKey rsa(int bits) {
            try {
                return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                        BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE), BigInteger.valueOf(65_537)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Cannot make the decoy keys", e);
            }
        }

        private static Map<String, PublicKey> make() {
            try {
                PublicKey rsa = rsa(2048);
                PublicKey ec = PublicJsonWebKey.Factory.newPublicJwk("{\"kty\":\"EC\",\"crv\":\"P-256\","
                        + "\"x\":\"axfR8uEsQkf4vOblY6RA8ncDfYEt6zOg9KE5RdiYwpY\","
                        + "\"y\":\"T-NC4v4af5uO5-tKfA-eFivOM1drMV7Oy7ZAaDe_UfU\"}").getPublicKey();
                PublicKey ed25519 = PublicJsonWebKey.Factory.newPublicJwk("{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
                        + "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}").getPublicKey();
                return Map.of(AlgorithmIdentifiers.RSA_USING_SHA256, rsa, AlgorithmIdentifiers.RSA_PSS_USING_SHA256, rsa,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, ec, AlgorithmIdentifiers.EDDSA, ed25519);
            } catch (JoseException e) {
                throw new IllegalStateException("Cannot make the decoy keys", e);
            }
        }
    }
}
