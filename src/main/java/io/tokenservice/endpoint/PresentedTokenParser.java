package io.tokenservice.endpoint;

import io.tokenservice.client.ClientAuthentication;
import io.tokenservice.config.TokenServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Set;

/**
 * Reads a request that presents one of our tokens to the introspection (RFC 7662 §2.1) or revocation (RFC 7009
 * §2.1) endpoint: the form's {@code token} (REQUIRED) and the caller's client credentials, from the Basic header
 * or the form as at the token endpoint, and {@code token_type_hint} when given. Throws as {@link FormBody} and {@link ClientCredentialsParser} do, and invalid_request for a missing token.
 */
@ApplicationScoped
public class PresentedTokenParser {

    /** The presented token, who presents it, and the token_type_hint, if any. */
    public record PresentedToken(String token, ClientAuthentication caller, java.util.Optional<String> hint) {
    }

    private static final Set<String> KNOWN = Set.of("token", "token_type_hint", "client_id", "client_secret",
            "client_assertion_type", "client_assertion");

    private final int maxBodyBytes;

    PresentedTokenParser(TokenServiceConfig config) {
        this.maxBodyBytes = config.token().maxRequestBytes();
    }

    public PresentedToken parse(HttpHeaders headers, String body) {
        return parse(headers, body, java.util.Optional.empty());
    }

    /** The same, for a request that came with a client certificate (RFC 8705 §2). */
    public PresentedToken parse(HttpHeaders headers, String body,
            java.util.Optional<io.tokenservice.client.PresentedCertificate> certificate) {
        FormBody form = FormBody.parse(headers.getHeaderString(HttpHeaders.CONTENT_TYPE), body, maxBodyBytes, KNOWN, Set.of());
        String token = form.require("token");
        return new PresentedToken(token, ClientCredentialsParser.parse(headers.getRequestHeader(HttpHeaders.AUTHORIZATION),
                form.get("client_id"), form.get("client_secret"), form.get("client_assertion_type"),
                form.get("client_assertion"), certificate), form.get("token_type_hint"));
    }
}
