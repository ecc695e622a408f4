package io.tokenservice.token;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.endpoint.FormBody;
import io.tokenservice.endpoint.ScopeSyntax;
import io.tokenservice.error.OAuthError;
import io.tokenservice.error.OAuthException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Turns the raw body of {@code POST /oauth2/token} into a {@link TokenRequest}, before any database work.
 * Throws {@link OAuthException}: invalid_request for a wrong content type, an oversized or malformed body, or
 * a missing or repeated parameter; unsupported_grant_type for anything but client_credentials; invalid_scope
 * for a scope that is not RFC 6749 §3.3 syntax; invalid_target for a resource that is not an absolute URI.
 */
@ApplicationScoped
public class TokenRequestParser {

    private static final String CLIENT_CREDENTIALS = "client_credentials";
    // RFC 8707 §2: the one parameter that may be sent more than once.
    private static final String RESOURCE = "resource";
    private static final Set<String> KNOWN = Set.of("grant_type", "scope", "client_id", "client_secret",
            "client_assertion_type", "client_assertion", RESOURCE);

    private final int maxBodyBytes;

    @Inject
    TokenRequestParser(TokenServiceConfig config) {
        this(config.token().maxRequestBytes());
    }

    TokenRequestParser(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @WithSpan("token.parse_request")
    public TokenRequest parse(String contentType, String body) {
        FormBody form = FormBody.parse(contentType, body, maxBodyBytes, KNOWN, Set.of(RESOURCE));
        // grant_type (REQUIRED), RFC 6749 §4.4.2
        String grantType = form.require("grant_type");
        if (!grantType.equals(CLIENT_CREDENTIALS)) {
            throw new OAuthException(OAuthError.UNSUPPORTED_GRANT_TYPE, "Only client_credentials is supported");
        }
        return new TokenRequest(
                form.get("scope").map(TokenRequestParser::scopes),
                resources(form.all(RESOURCE)),
                form.get("client_id"),
                form.get("client_secret"),
                form.get("client_assertion_type"),
                form.get("client_assertion"));
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
        if (tokens.isEmpty() || !tokens.stream().allMatch(ScopeSyntax::isScopeToken)) {
            throw new OAuthException(OAuthError.INVALID_SCOPE, "Malformed scope");
        }
        return tokens;
    }
}
