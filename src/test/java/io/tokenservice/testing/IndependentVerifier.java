package io.tokenservice.testing;

import static io.restassured.RestAssured.given;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;

/**
 * Verifies our tokens the way a resource server would, with Nimbus JOSE+JWT (a library this project does not
 * use in production): the JWK Set from {@code /.well-known/jwks.json}, the key by {@code kid}, the signature.
 */
public final class IndependentVerifier {

    private IndependentVerifier() {
    }

    /** The parsed token after its signature verified against the published key; fails otherwise. */
    public static SignedJWT verify(String token) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        JWKSet jwks = JWKSet.parse(given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString());
        JWK jwk = jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        if (jwk == null) {
            throw new AssertionError("kid " + jwt.getHeader().getKeyID() + " is not in the JWKS");
        }
        JWSVerifier verifier = jwk instanceof RSAKey rsa ? new RSASSAVerifier(rsa) : new ECDSAVerifier((ECKey) jwk);
        if (!jwt.verify(verifier)) {
            throw new AssertionError("signature does not verify");
        }
        if (!new JOSEObjectType("at+jwt").equals(jwt.getHeader().getType())) {
            throw new AssertionError("typ is " + jwt.getHeader().getType());
        }
        return jwt;
    }
}
