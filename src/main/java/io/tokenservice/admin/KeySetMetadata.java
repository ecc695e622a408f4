package io.tokenservice.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenservice.error.OAuthException;
import io.tokenservice.jose.JwkSetRules;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;

/**
 * Validates the key metadata of a private_key_jwt client or a trusted issuer (RFC 7591 §2): {@code jwks}, a JWK Set
 * of 1 to {@value #MAX_KEYS} public signing keys as {@link JwkSetRules} allows them (RSA of 2048 to 4096 bits with
 * exponent 65537, EC P-256, Ed25519), never private or symmetric key material, kids unique; or {@code jwks_uri}, an
 * absolute https URL (http only where configured), whose fetched sets are kept to the same rules. Every problem is a
 * 400 naming the field.
 */
public final class KeySetMetadata {

    static final int MAX_KEYS = JwkSetRules.MAX_KEYS;
    static final int MAX_JWKS_LENGTH = 65_536;
    // RFC 7518 §6.2.2, §6.3.2, RFC 8037 §2: members that only private keys have.
    private static final List<String> PRIVATE_MEMBERS = List.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    private KeySetMetadata() {
    }

    /** The set as stored: the document as given, once it is found to be a valid set of public signing keys. */
    public static String jwks(JsonNode value) {
        if (!value.isObject() || !value.path("keys").isArray()) {
            throw invalid("jwks", "jwks must be a JWK Set: an object with a keys array");
        }
        String document = value.toString();
        JsonNode keys = value.get("keys");
        if (document.length() > MAX_JWKS_LENGTH || keys.size() < 1 || keys.size() > MAX_KEYS) {
            throw invalid("jwks", "jwks must hold 1 to " + MAX_KEYS + " keys in at most " + MAX_JWKS_LENGTH + " characters");
        }
        for (JsonNode key : keys) {
            for (String member : PRIVATE_MEMBERS) {
                if (key.has(member)) {
                    throw invalid("jwks", "jwks must hold public keys only: a key has the private member " + member);
                }
            }
        }
        List<JsonWebKey> parsed;
        try {
            parsed = new JsonWebKeySet(document).getJsonWebKeys();
        } catch (JoseException | RuntimeException e) {
            throw invalid("jwks", "jwks is not a readable JWK Set");
        }
        if (parsed.size() != keys.size()) {
            throw invalid("jwks", "jwks holds a key of an unsupported type: use RSA, EC P-256 or Ed25519 keys");
        }
        Set<String> kids = new HashSet<>();
        for (JsonWebKey key : parsed) {
            if (key.getUse() != null && !key.getUse().equals("sig")) {
                throw invalid("jwks", "jwks keys must be for use sig");
            }
            if (!JwkSetRules.usable(key)) {
                throw invalid("jwks", "jwks keys must be RSA of 2048 to 4096 bits with exponent 65537 (AQAB), "
                        + "EC P-256 or Ed25519");
            }
            if (key.getKeyId() != null && !kids.add(key.getKeyId())) {
                throw invalid("jwks", "jwks key ids must be unique");
            }
        }
        return document;
    }

    /**
     * The URL as stored, once it is absolute, https (or http when {@code allowHttp}), without user info or fragment:
     * in one spelling ({@link HttpUrls#normalized}), so that a URL is recognised whichever way it was written.
     */
    public static String jwksUri(JsonNode value, boolean allowHttp) {
        if (!value.isTextual() || !HttpUrls.isAbsolute(value.textValue(), allowHttp, true)) {
            throw invalid("jwks_uri", "jwks_uri must be an absolute " + (allowHttp ? "http or https" : "https")
                    + " URL of at most " + HttpUrls.MAX_LENGTH + " characters, without user info or fragment");
        }
        return HttpUrls.normalized(value.textValue());
    }

    /**
     * The keys of a stored JWK Set document, each as its JSON (member order aside), for telling which keys a change
     * removed; none for null.
     */
    public static java.util.Set<JsonNode> keys(com.fasterxml.jackson.databind.ObjectMapper json, String jwks) {
        if (jwks == null) {
            return java.util.Set.of();
        }
        try {
            java.util.Set<JsonNode> keys = new HashSet<>();
            json.readTree(jwks).path("keys").forEach(keys::add);
            return keys;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("A stored jwks is not JSON", e);
        }
    }

    private static OAuthException invalid(String field, String description) {
        return OAuthException.invalidField(field, description);
    }
}
