package io.tokenservice.token;

import io.tokenservice.endpoint.FormBody;
import io.tokenservice.endpoint.ScopeSyntax;
import io.tokenservice.error.OAuthError;
import io.tokenservice.error.OAuthException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The parameters grants share: {@code scope} (RFC 6749 §3.3) and {@code resource} (RFC 8707 §2). */
public final class GrantParameters {

    public static final String SCOPE = "scope";
    public static final String RESOURCE = "resource";

    private GrantParameters() {
    }

    /** The requested scopes, distinct; empty when none was asked for. Else invalid_scope for a malformed one. */
    public static Optional<List<String>> scopes(FormBody form) {
        return form.get(SCOPE).map(GrantParameters::scopes);
    }

    private static List<String> scopes(String scope) {
        List<String> tokens = Arrays.stream(scope.split(" ")).filter(token -> !token.isEmpty()).distinct().toList();
        if (tokens.isEmpty() || !tokens.stream().allMatch(ScopeSyntax::isScopeToken)) {
            throw new OAuthException(OAuthError.INVALID_SCOPE, "Malformed scope");
        }
        return tokens;
    }

    /** The requested resources, distinct: each an absolute URI without a fragment (RFC 8707 §2); else invalid_target. */
    public static List<String> resources(FormBody form) {
        List<String> resources = form.all(RESOURCE);
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
}
