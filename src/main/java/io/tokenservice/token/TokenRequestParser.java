package io.tokenservice.token;

import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.error.OAuthError;
import io.tokenservice.error.OAuthException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the raw body of {@code POST /oauth2/token} into a {@link TokenRequest}, before any database work.
 * Throws {@link OAuthException}: invalid_request for a wrong content type, an oversized or malformed body, or
 * a missing or repeated parameter; unsupported_grant_type for anything but client_credentials; invalid_scope
 * for a scope that is not RFC 6749 §3.3 syntax; invalid_target for a resource that is not an absolute URI.
 */
@ApplicationScoped
public class TokenRequestParser {

    static final String FORM = "application/x-www-form-urlencoded";
    private static final String CLIENT_CREDENTIALS = "client_credentials";
    // RFC 8707 §2: the one parameter that may be sent more than once.
    private static final String RESOURCE = "resource";
    private static final Set<String> KNOWN = Set.of("grant_type", "scope", "client_id", "client_secret", RESOURCE);
    // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

    private final int maxBodyBytes;

    @Inject
    TokenRequestParser(TokenServiceConfig config) {
        this(config.token().maxRequestBytes());
    }

    TokenRequestParser(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    public TokenRequest parse(String contentType, String body) {
        requireForm(contentType);
        body = body == null ? "" : body;
        if (body.length() > maxBodyBytes) {
            throw OAuthException.invalidRequest("Request body too large");
        }
        List<String> resources = new ArrayList<>();
        Map<String, String> parameters = parameters(body, resources);
        // grant_type (REQUIRED), RFC 6749 §4.4.2
        String grantType = parameters.get("grant_type");
        if (grantType == null) {
            throw OAuthException.invalidRequest("Missing grant_type");
        }
        if (!grantType.equals(CLIENT_CREDENTIALS)) {
            throw new OAuthException(OAuthError.UNSUPPORTED_GRANT_TYPE, "Only client_credentials is supported");
        }
        return new TokenRequest(
                Optional.ofNullable(parameters.get("scope")).map(TokenRequestParser::scopes),
                resources(resources),
                Optional.ofNullable(parameters.get("client_id")),
                Optional.ofNullable(parameters.get("client_secret")));
    }

    static void requireForm(String contentType) {
        // A charset parameter is ignored: the form is percent-encoded ASCII of UTF-8 (RFC 6749 Appendix B),
        // and common clients declare ISO-8859-1 for it.
        if (contentType == null || !contentType.split(";", 2)[0].trim().equalsIgnoreCase(FORM)) {
            throw OAuthException.invalidRequest("Content-Type must be " + FORM);
        }
    }

    /**
     * The known parameters, decoded; {@code resource} values go to {@code resources}. RFC 6749 §3.1: parameters
     * sent without a value are treated as omitted; §3.2: parameters MUST NOT be included more than once (but
     * resource, RFC 8707 §2); unrecognized ones MUST be ignored.
     */
    private static Map<String, String> parameters(String body, List<String> resources) {
        Map<String, String> values = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            if (!KNOWN.contains(name)) {
                continue;
            }
            if (name.equals(RESOURCE)) {
                resources.add(equals < 0 ? "" : decode(pair.substring(equals + 1)));
                continue;
            }
            if (seen.merge(name, 1, Integer::sum) > 1) {
                throw OAuthException.invalidRequest("Parameter " + name + " is repeated");
            }
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            if (!value.isEmpty()) {
                values.put(name, value);
            }
        }
        return values;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidRequest("Malformed form encoding");
        }
    }

    /** RFC 8707 §2: each resource is an absolute URI without a fragment; else invalid_target. */
    private static List<String> resources(List<String> resources) {
        for (String resource : resources) {
            URI uri;
            try {
                uri = new URI(resource);
            } catch (URISyntaxException e) {
                throw new OAuthException(OAuthError.INVALID_TARGET, "A resource must be an absolute URI");
            }
            if (!uri.isAbsolute() || uri.getRawFragment() != null) {
                throw new OAuthException(OAuthError.INVALID_TARGET, "A resource must be an absolute URI without a fragment");
            }
        }
        return resources.stream().distinct().toList();
    }

    private static List<String> scopes(String scope) {
        List<String> tokens = Arrays.stream(scope.split(" ")).filter(token -> !token.isEmpty()).distinct().toList();
        if (tokens.isEmpty() || !tokens.stream().allMatch(token -> SCOPE_TOKEN.matcher(token).matches())) {
            throw new OAuthException(OAuthError.INVALID_SCOPE, "Malformed scope");
        }
        return tokens;
    }
}
