package io.tokenservice.key;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/** The JWS algorithms (RFC 7518 §3.1) the service signs access tokens with. */
public enum SigningAlgorithm {
    /** RSASSA-PKCS1-v1_5 with SHA-256 and a 2048-bit key: what every verifier supports. */
    RS256(SignatureAlgorithm.RS256, "RSA"),
    /** ECDSA on P-256 with SHA-256: smaller tokens, cheaper signatures. */
    ES256(SignatureAlgorithm.ES256, "EC");

    private final SignatureAlgorithm jws;
    private final String keyType;

    SigningAlgorithm(SignatureAlgorithm jws, String keyType) {
        this.jws = jws;
        this.keyType = keyType;
    }

    public SignatureAlgorithm jws() {
        return jws;
    }

    /** The JCA key algorithm and, identically spelled, the JWK {@code kty} (RFC 7518 §6.1). */
    public String keyType() {
        return keyType;
    }

    KeyPair generateKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(keyType);
            if (this == ES256) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + this + " key pair", e);
        }
    }
}
