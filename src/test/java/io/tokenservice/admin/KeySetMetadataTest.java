package io.tokenservice.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tokenservice.error.OAuthException;
import io.tokenservice.testing.ClientAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a private_key_jwt client may register as its keys. */
class KeySetMetadataTest {

    static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void publicRsaEcAndEd25519KeysAreAccepted() throws Exception {
        String set = "{\"keys\":[" + ClientAssertions.rsa("r").toPublicJWK().toJSONString() + ","
                + ClientAssertions.ec("e").toPublicJWK().toJSONString() + ","
                + "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"o\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}]}";
        assertEquals(json(set).toString(), KeySetMetadata.jwks(json(set)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[]",
        "{\"keys\":{}}",
        "{\"keys\":[]}",
        // a symmetric key
        "{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}]}",
        // an unsupported curve and key type
        "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo\"}]}",
        "{\"keys\":[{\"kty\":\"XYZ\",\"x\":\"1\"}]}",
    })
    void setsThatAreNotPublicSigningKeysAreRefused(String set) {
        OAuthException refused = assertThrows(OAuthException.class, () -> KeySetMetadata.jwks(json(set)));
        assertEquals("jwks", refused.field());
    }

    @Test
    void aPrivateKeyIsRefused() {
        String set = "{\"keys\":[" + ClientAssertions.ec("e").toJSONString() + "]}";
        assertEquals("jwks", assertThrows(OAuthException.class, () -> KeySetMetadata.jwks(json(set))).field());
    }

    @Test
    void aShortRsaKeyIsRefused() throws Exception {
        var generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        var key = new com.nimbusds.jose.jwk.RSAKey.Builder(
                (java.security.interfaces.RSAPublicKey) generator.generateKeyPair().getPublic()).build();
        String set = "{\"keys\":[" + key.toJSONString() + "]}";
        assertEquals("jwks", assertThrows(OAuthException.class, () -> KeySetMetadata.jwks(json(set))).field());
    }

    @Test
    void duplicateKidsAreRefused() {
        String key = ClientAssertions.ec("same").toPublicJWK().toJSONString();
        String other = ClientAssertions.ec("same").toPublicJWK().toJSONString();
        assertEquals("jwks", assertThrows(OAuthException.class,
                () -> KeySetMetadata.jwks(json("{\"keys\":[" + key + "," + other + "]}"))).field());
    }

    @Test
    void httpsJwksUriIsAccepted() {
        assertEquals("https://keys.example.com/jwks", KeySetMetadata.jwksUri(new TextNode("https://keys.example.com/jwks"), false));
    }

    @Test
    void httpJwksUriIsAcceptedOnlyWhereAllowed() {
        TextNode http = new TextNode("http://keys.example.com/jwks");
        assertEquals("jwks_uri", assertThrows(OAuthException.class, () -> KeySetMetadata.jwksUri(http, false)).field());
        assertEquals(http.textValue(), KeySetMetadata.jwksUri(http, true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"keys.example.com/jwks", "https://user:pw@keys.example.com/jwks",
        "https://keys.example.com/jwks#frag", "ftp://keys.example.com/jwks", "https:///jwks"})
    void malformedJwksUrisAreRefused(String uri) {
        assertEquals("jwks_uri", assertThrows(OAuthException.class,
                () -> KeySetMetadata.jwksUri(new TextNode(uri), false)).field());
    }
}
