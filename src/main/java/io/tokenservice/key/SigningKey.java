package io.tokenservice.key;

import java.security.PrivateKey;
import java.security.PublicKey;
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
}
