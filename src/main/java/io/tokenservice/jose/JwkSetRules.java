package io.tokenservice.jose;

import java.math.BigInteger;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.OctetKeyPairJsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * The keys a JWK Set may use to verify a client's assertion or a trusted issuer's token, however the set reached
 * us (registered inline, fetched from a jwks_uri, found through discovery): RSA of 2048 to 4096 bits with the public
 * exponent 65537, EC P-256 or Ed25519, public only, for use {@code sig} or no stated use. A set holds at most
 * {@value #MAX_KEYS} keys and no two usable keys share a kid, so that an assertion's kid picks at most one key and
 * no signature costs more than one verification of bounded size (a huge exponent or modulus would make one
 * verification cost many).
 */
public final class JwkSetRules {

    /** The most keys a set may hold. */
    public static final int MAX_KEYS = 20;
    static final int MIN_RSA_BITS = 2048;
    static final int MAX_RSA_BITS = 4096;
    private static final BigInteger F4 = BigInteger.valueOf(65_537);

    private JwkSetRules() {
    }

    /** Whether this key may verify signatures here. */
    public static boolean usable(JsonWebKey key) {
        if (!(key instanceof PublicJsonWebKey publicKey) || publicKey.getPrivateKey() != null) {
            return false;
        }
        if (key.getUse() != null && !key.getUse().equals("sig")) {
            return false;
        }
        if (key instanceof RsaJsonWebKey rsa) {
            RSAPublicKey rsaKey = rsa.getRsaPublicKey();
            int bits = rsaKey.getModulus().bitLength();
            return bits >= MIN_RSA_BITS && bits <= MAX_RSA_BITS && F4.equals(rsaKey.getPublicExponent());
        }
        if (key instanceof EllipticCurveJsonWebKey ec) {
            return EllipticCurves.P_256.equals(ec.getCurveName());
        }
        return key instanceof OctetKeyPairJsonWebKey okp && OctetKeyPairJsonWebKey.SUBTYPE_ED25519.equals(okp.getSubtype());
    }

    /**
     * The usable keys of a JWK Set document; keys of other kinds, sizes or uses are left out (a set may also
     * publish encryption keys).
     *
     * @throws IllegalArgumentException when the document is no JWK Set, holds more than {@value #MAX_KEYS} keys, or
     *     two usable keys share a kid
     */
    public static JsonWebKeySet usableKeys(String document) {
        List<JsonWebKey> keys;
        try {
            // Counted as published, before jose4j leaves out the keys of types it does not know.
            if (org.jose4j.json.JsonUtil.parseJson(document).get("keys") instanceof List<?> published
                    && published.size() > MAX_KEYS) {
                throw new IllegalArgumentException("more than " + MAX_KEYS + " keys");
            }
            keys = new JsonWebKeySet(document).getJsonWebKeys();
        } catch (JoseException | ClassCastException e) {
            throw new IllegalArgumentException("not a JWK Set: " + e.getMessage());
        }
        List<JsonWebKey> usable = new ArrayList<>();
        Set<String> kids = new HashSet<>();
        for (JsonWebKey key : keys) {
            if (!usable(key)) {
                continue;
            }
            if (key.getKeyId() != null && !kids.add(key.getKeyId())) {
                throw new IllegalArgumentException("two keys share the kid " + key.getKeyId());
            }
            usable.add(key);
        }
        return new JsonWebKeySet(usable);
    }
}
