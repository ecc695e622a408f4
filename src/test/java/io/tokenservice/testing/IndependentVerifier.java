package io.tokenservice.testing;

import static io.restassured.RestAssured.given;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;

/**
 * Verifies our tokens the way a resource server would, with Nimbus JOSE+JWT (a library this project does not
 * use in production): the JWK Set from {@code /.well-known/jwks.json}, the key by {@code kid}, the signature.
 * Ed25519 signatures (which Nimbus checks only with Google Tink) are checked with the JDK's own Ed25519.
 */
public final class IndependentVerifier {

    // SubjectPublicKeyInfo prefix of an Ed25519 key (RFC 8410 §4).
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private IndependentVerifier() {
    }

    /** The parsed token after its signature verified against this service's JWKS; fails otherwise. */
    public static SignedJWT verify(String token) throws Exception {
        return verify(token, given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString());
    }

    /** The parsed token after its signature verified against the given JWK Set; fails otherwise. */
    public static SignedJWT verify(String token, String jwksJson) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        JWK jwk = JWKSet.parse(jwksJson).getKeyByKeyId(jwt.getHeader().getKeyID());
        if (jwk == null) {
            throw new AssertionError("kid " + jwt.getHeader().getKeyID() + " is not in the JWKS");
        }
        boolean valid;
        if (jwk instanceof OctetKeyPair okp) {
            valid = verifyEd25519(jwt, okp);
        } else {
            JWSVerifier verifier = jwk instanceof RSAKey rsa ? new RSASSAVerifier(rsa) : new ECDSAVerifier((ECKey) jwk);
            valid = jwt.verify(verifier);
        }
        if (!valid) {
            throw new AssertionError("signature does not verify");
        }
        if (!new JOSEObjectType("at+jwt").equals(jwt.getHeader().getType())) {
            throw new AssertionError("typ is " + jwt.getHeader().getType());
        }
        return jwt;
    }

    private static boolean verifyEd25519(SignedJWT jwt, OctetKeyPair okp) throws Exception {
        if (!"EdDSA".equals(jwt.getHeader().getAlgorithm().getName()) || !"Ed25519".equals(okp.getCurve().getName())) {
            return false;
        }
        byte[] x = okp.getDecodedX();
        byte[] spki = new byte[ED25519_SPKI_PREFIX.length + x.length];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(x, 0, spki, ED25519_SPKI_PREFIX.length, x.length);
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(jwt.getSigningInput());
        return verifier.verify(jwt.getSignature().decode());
    }
}
