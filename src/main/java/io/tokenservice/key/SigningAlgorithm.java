package io.tokenservice.key;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/**
 * The JWS algorithms (RFC 7518 §3.1, RFC 8037 §3.1) the service signs access tokens with; each constant is
 * spelled as its {@code alg} header value.
 */
public enum SigningAlgorithm {
    /** RSASSA-PKCS1-v1_5 with SHA-256 and a 2048-bit key: what every verifier supports. */
    RS256(SignatureAlgorithm.RS256, "RSA", "SHA256withRSA"),
    /** RSASSA-PSS with SHA-256 and a 2048-bit key: RS256's cost, the probabilistic padding FAPI asks for. */
    PS256(SignatureAlgorithm.PS256, "RSA", "SHA256withRSA"),
    /** ECDSA on P-256 with SHA-256: smaller tokens, cheaper signatures. */
    ES256(SignatureAlgorithm.ES256, "EC", "SHA256withECDSA"),
    /** Ed25519 (RFC 8037): small keys and signatures, deterministic. */
    EdDSA(SignatureAlgorithm.EDDSA, "Ed25519", "Ed25519");

    private final SignatureAlgorithm jws;
    private final String keyAlgorithm;
    private final String pairCheckSignature;

    SigningAlgorithm(SignatureAlgorithm jws, String keyAlgorithm, String pairCheckSignature) {
        this.jws = jws;
        this.keyAlgorithm = keyAlgorithm;
        this.pairCheckSignature = pairCheckSignature;
    }

    /**
     * The algorithm named by {@code token-service.keys.algorithm}, in any letter case.
     *
     * @throws IllegalStateException naming the allowed values
     */
    public static SigningAlgorithm fromConfig(String name) {
        for (SigningAlgorithm algorithm : values()) {
            if (algorithm.name().equalsIgnoreCase(name.trim())) {
                return algorithm;
            }
        }
        throw new IllegalStateException("token-service.keys.algorithm must be one of "
                + java.util.Arrays.toString(values()) + ", not '" + name + "'");
    }

    public SignatureAlgorithm jws() {
        return jws;
    }

    /** The JCA key algorithm, for {@code KeyFactory} and {@code KeyPairGenerator}. */
    public String keyAlgorithm() {
        return keyAlgorithm;
    }

    /** A JCA signature over this algorithm's keys, used only to prove that a private and a public key pair up. */
    String pairCheckSignature() {
        return pairCheckSignature;
    }

    KeyPair generateKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(keyAlgorithm);
            switch (this) {
                // RFC 7518 §3.3, §3.5: RSA keys of 2048 bits or larger.
                case RS256, PS256 -> generator.initialize(2048);
                // RFC 7518 §3.4: ES256 is ECDSA on P-256.
                case ES256 -> generator.initialize(new ECGenParameterSpec("secp256r1"));
                case EdDSA -> {
                    // the Ed25519 generator has a single parameter set
                }
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + this + " key pair", e);
        }
    }
}
