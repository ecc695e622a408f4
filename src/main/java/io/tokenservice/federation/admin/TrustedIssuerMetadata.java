package io.tokenservice.federation.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenservice.admin.Audiences;
import io.tokenservice.admin.HttpUrls;
import io.tokenservice.admin.KeySetMetadata;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.error.OAuthException;
import io.tokenservice.federation.TrustedIssuer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads and validates a trusted issuer for {@code /admin/trusted-issuers}: {@code name} (lower-case letters,
 * digits, '-'; fixed once stored), {@code issuer} (an https URL, fixed once stored), at most one of {@code jwks}
 * and {@code jwks_uri} (neither: the issuer's discovery document names its jwks_uri), {@code audiences} (default
 * the token endpoint URL and our issuer), {@code max_token_age} (seconds, 1 to 86400; default 3600) and
 * {@code allow_reuse} (default false). Every problem is a 400 naming the field; nothing is applied unless the
 * whole document is valid.
 */
@ApplicationScoped
public class TrustedIssuerMetadata {

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    static final int MAX_TOKEN_AGE = 86_400;

    private final boolean allowHttp;

    TrustedIssuerMetadata(TokenServiceConfig config) {
        this.allowHttp = config.assertions().jwks().allowHttp();
    }

    /** Whether a trusted issuer could have this name. */
    static boolean isName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** A new trusted issuer; name and issuer are required. */
    public TrustedIssuer registration(JsonNode body) {
        JsonNode document = object(body);
        TrustedIssuer issuer = new TrustedIssuer();
        for (Consumer<TrustedIssuer> change : changes(document, true)) {
            change.accept(issuer);
        }
        if (issuer.name == null) {
            throw OAuthException.invalidField("name", "name is required");
        }
        if (issuer.issuer == null) {
            throw OAuthException.invalidField("issuer", "issuer is required");
        }
        check(issuer);
        return issuer;
    }

    /** The changes of a JSON merge patch (RFC 7396); apply them, then {@link #check} the result. */
    public List<Consumer<TrustedIssuer>> patch(JsonNode body) {
        return changes(object(body), false);
    }

    /** The rules across fields: not both jwks and jwks_uri. */
    public void check(TrustedIssuer issuer) {
        if (issuer.jwks != null && issuer.jwksUri != null) {
            throw OAuthException.invalidField("jwks", "Give jwks or jwks_uri, not both (neither: discovery)");
        }
    }

    private List<Consumer<TrustedIssuer>> changes(JsonNode document, boolean registration) {
        List<Consumer<TrustedIssuer>> changes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = document.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            boolean reset = value.isNull();
            if (!registration && (name.equals("name") || name.equals("issuer"))) {
                throw OAuthException.invalidField(name, name + " cannot be changed: add another trusted issuer");
            }
            changes.add(switch (name) {
                case "name" -> {
                    String text = value.isTextual() ? value.textValue() : "";
                    if (!NAME.matcher(text).matches()) {
                        throw OAuthException.invalidField(name, "name must be 1 to 63 lower-case letters, digits or '-'");
                    }
                    yield issuer -> issuer.name = text;
                }
                case "issuer" -> {
                    String text = value.isTextual() ? value.textValue() : "";
                    if (!HttpUrls.isAbsolute(text, allowHttp, false)) {
                        throw OAuthException.invalidField(name, "issuer must be an absolute https URL of at most "
                                + HttpUrls.MAX_LENGTH + " characters, without query or fragment");
                    }
                    yield issuer -> issuer.issuer = text;
                }
                case "jwks" -> {
                    String jwks = reset ? null : KeySetMetadata.jwks(value);
                    yield issuer -> issuer.jwks = jwks;
                }
                case "jwks_uri" -> {
                    String uri = reset ? null : KeySetMetadata.jwksUri(value, allowHttp);
                    yield issuer -> issuer.jwksUri = uri;
                }
                case "audiences" -> {
                    String[] audiences = reset ? new String[0] : Audiences.parse(name, value);
                    yield issuer -> issuer.audiences = audiences;
                }
                case "max_token_age" -> {
                    if (reset || !value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1
                            || value.intValue() > MAX_TOKEN_AGE) {
                        throw OAuthException.invalidField(name, "max_token_age must be whole seconds from 1 to " + MAX_TOKEN_AGE);
                    }
                    int age = value.intValue();
                    yield issuer -> issuer.maxTokenAge = age;
                }
                case "allow_reuse" -> {
                    if (!value.isBoolean()) {
                        throw OAuthException.invalidField(name, "allow_reuse must be true or false");
                    }
                    boolean reuse = value.booleanValue();
                    yield issuer -> issuer.allowReuse = reuse;
                }
                default -> throw OAuthException.invalidField(name, "Unknown trusted issuer field " + name);
            });
        }
        return changes;
    }

    private static JsonNode object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw OAuthException.invalidField("body", "The request body must be a JSON object");
        }
        return body;
    }
}
