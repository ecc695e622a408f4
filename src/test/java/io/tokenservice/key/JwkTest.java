package io.tokenservice.key;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class JwkTest {

    // RFC 7638 §3.1: the example RSA key and its SHA-256 thumbprint.
    static final String N = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
    static final String E = "AQAB";

    // RFC 8037 Appendix A.2/A.3: the example Ed25519 public key and its RFC 7638 thumbprint.
    static final String ED25519_X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
    // SubjectPublicKeyInfo prefix of an Ed25519 key (RFC 8410 §4): SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING }.
    static final String ED25519_SPKI_PREFIX = "302a300506032b6570032100";

    @Test
    void thumbprintOfTheRfc7638ExampleKey() throws Exception {
        Base64.Decoder url = Base64.getUrlDecoder();
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, url.decode(N)), new BigInteger(1, url.decode(E))));
        assertEquals("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", Jwk.of(key).thumbprint());
    }

    @Test
    void ed25519KeyIsAnOkpJwkWithTheRfc8037Thumbprint() throws Exception {
        byte[] x = Base64.getUrlDecoder().decode(ED25519_X);
        byte[] prefix = HexFormat.of().parseHex(ED25519_SPKI_PREFIX);
        byte[] spki = new byte[prefix.length + x.length];
        System.arraycopy(prefix, 0, spki, 0, prefix.length);
        System.arraycopy(x, 0, spki, prefix.length, x.length);
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        Jwk jwk = Jwk.of(key);
        assertEquals(ED25519_X, jwk.required().get("x"));
        assertEquals("OKP", jwk.required().get("kty"));
        assertEquals("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k", jwk.thumbprint());
    }
}
