package io.tokenservice.key;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;

/**
 * A key pair that signs access tokens: its algorithm, its {@code kid} (the RFC 7638 thumbprint of the public
 * key, so every replica given the same key names it the same way) and its public JWK (RFC 7517).
 */
public record SigningKey(String kid, SigningAlgorithm algorithm, PrivateKey privateKey, PublicKey publicKey,
        Map<String, Object> publicJwk) {

    public static SigningKey of(SigningAlgorithm algorithm, PrivateKey privateKey, PublicKey publicKey) {
        Jwk jwk = Jwk.of(publicKey);
        String kid = jwk.thumbprint();
        return new SigningKey(kid, algorithm, privateKey, publicKey, jwk.toMap(kid, algorithm));
    }

    /** A freshly generated key pair for {@code algorithm}. */
    static SigningKey generate(SigningAlgorithm algorithm) {
        var pair = algorithm.generateKeyPair();
        return of(algorithm, pair.getPrivate(), pair.getPublic());
    }

    /**
     * The key pair of a PKCS#8 private key (RFC 5958) and a SubjectPublicKeyInfo public key (RFC 5280). Throws
     * {@link GeneralSecurityException} when they are not keys of {@code algorithm}, {@link IllegalStateException}
     * when they are too weak or not halves of one pair; messages never hold key material.
     */
    static SigningKey decode(SigningAlgorithm algorithm, byte[] pkcs8, byte[] spki) throws GeneralSecurityException {
        SigningKey key = parse(algorithm, pkcs8, spki);
        requirePair(algorithm, key.privateKey(), key.publicKey());
        return key;
    }

    /**
     * The same without proving the pair with a signature, for keys whose pairing is already authenticated
     * (a private key sealed by AES-GCM for the thumbprint of the public key it is stored with).
     */
    static SigningKey parse(SigningAlgorithm algorithm, byte[] pkcs8, byte[] spki) throws GeneralSecurityException {
        KeyFactory factory = KeyFactory.getInstance(algorithm.keyAlgorithm());
        PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(spki));
        requireStrength(algorithm, privateKey);
        return of(algorithm, privateKey, publicKey);
    }

    private static void requireStrength(SigningAlgorithm algorithm, PrivateKey key) {
        // RFC 7518 §3.3, §3.5: RSA keys of 2048 bits or larger MUST be used.
        if (key instanceof RSAKey rsa && rsa.getModulus().bitLength() < 2048) {
            throw new IllegalStateException("RSA signing keys must have at least 2048 bits");
        }
        // RFC 7518 §3.4: ES256 is ECDSA on P-256.
        if (key instanceof ECKey ec && ec.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new IllegalStateException(algorithm + " needs a P-256 key");
        }
    }

    private static void requirePair(SigningAlgorithm algorithm, PrivateKey privateKey, PublicKey publicKey)
            throws GeneralSecurityException {
        byte[] probe = "token-service key pair check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm.pairCheckSignature());
        signer.initSign(privateKey);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm.pairCheckSignature());
        verifier.initVerify(publicKey);
        verifier.update(probe);
        if (!verifier.verify(signature)) {
            throw new IllegalStateException("the public key does not match the private key");
        }
    }
}
