package io.tokenservice.key;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The required members of a public JWK (RFC 7518 §6.2.1, §6.3.1, RFC 8037 §2), in the order RFC 7638 §3.2 hashes them. */
record Jwk(Map<String, String> required) {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    static Jwk of(PublicKey key) {
        Map<String, String> members = new LinkedHashMap<>();
        if (key instanceof RSAPublicKey rsa) {
            members.put("e", unsigned(rsa.getPublicExponent(), 0));
            members.put("kty", "RSA");
            members.put("n", unsigned(rsa.getModulus(), 0));
        } else if (key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() == 256) {
            // RFC 7518 §6.2.1.2: coordinates are the full field size, 32 octets for P-256.
            members.put("crv", "P-256");
            members.put("kty", "EC");
            members.put("x", unsigned(ec.getW().getAffineX(), 32));
            members.put("y", unsigned(ec.getW().getAffineY(), 32));
        } else if (key instanceof EdECPublicKey ed && ed.getParams().getName().equals("Ed25519")) {
            // RFC 8037 §2: an OKP key; x is the 32-octet public key, the tail of its SubjectPublicKeyInfo.
            byte[] spki = ed.getEncoded();
            members.put("crv", "Ed25519");
            members.put("kty", "OKP");
            members.put("x", BASE64URL.encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length)));
        } else {
            throw new IllegalArgumentException("unsupported public key: " + key.getAlgorithm());
        }
        return new Jwk(members);
    }

    /** The RFC 7638 thumbprint: SHA-256 of the required members in lexicographic order, base64url. */
    String thumbprint() {
        StringBuilder json = new StringBuilder("{");
        required.forEach((name, value) -> json.append(json.length() > 1 ? "," : "")
                .append('"').append(name).append("\":\"").append(value).append('"'));
        json.append('}');
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.toString().getBytes(StandardCharsets.UTF_8));
            return BASE64URL.encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Map<String, Object> toMap(String kid, SigningAlgorithm algorithm) {
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", required.get("kty"));
        jwk.put("use", "sig");
        jwk.put("alg", algorithm.name());
        jwk.put("kid", kid);
        required.forEach((name, value) -> {
            if (!name.equals("kty")) {
                jwk.put(name, value);
            }
        });
        return Collections.unmodifiableMap(jwk);
    }

    private static String unsigned(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        if (bytes.length < length) {
            byte[] padded = new byte[length];
            System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
            bytes = padded;
        }
        return BASE64URL.encodeToString(bytes);
    }
}
