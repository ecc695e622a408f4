package io.tokenservice.token;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.endpoint.FormBody;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.Set;

/**
 * Turns the raw body of {@code POST /oauth2/token} into a {@link TokenRequest}, before any database work: the
 * grant_type picks the {@link Grant}, which reads its own parameters. Throws
 * {@link io.tokenservice.error.OAuthException}: invalid_request for a wrong content type, an oversized or malformed
 * body, or a missing or repeated parameter; unsupported_grant_type for a grant_type no grant has; and what the grant
 * throws for its parameters.
 */
@ApplicationScoped
public class TokenRequestParser {

    private static final Set<String> CLIENT_AUTHENTICATION = Set.of("client_id", "client_secret", "client_assertion_type",
            "client_assertion");

    private final int maxBodyBytes;
    private final Grants grants;
    private final Set<String> known;
    private final Set<String> repeatable;

    @Inject
    TokenRequestParser(TokenServiceConfig config, Grants grants) {
        this(config.token().maxRequestBytes(), grants);
    }

    TokenRequestParser(int maxBodyBytes, Grants grants) {
        this.maxBodyBytes = maxBodyBytes;
        this.grants = grants;
        Set<String> parameters = new HashSet<>(CLIENT_AUTHENTICATION);
        parameters.add("grant_type");
        parameters.addAll(grants.parameters(false));
        this.known = Set.copyOf(parameters);
        this.repeatable = Set.copyOf(grants.parameters(true));
    }

    @WithSpan("token.parse_request")
    public TokenRequest parse(String contentType, String body) {
        FormBody form = FormBody.parse(contentType, body, maxBodyBytes, known, repeatable);
        // grant_type (REQUIRED), RFC 6749 §4.4.2, RFC 8693 §2.1
        String grantType = form.require("grant_type");
        return new TokenRequest(grantType, grants.prepare(grantType, form), form.get("client_id"),
                form.get("client_secret"), form.get("client_assertion_type"), form.get("client_assertion"));
    }
}
