package io.tokenservice.admin;

import io.tokenservice.error.OAuthError;
import io.tokenservice.error.OAuthException;
import io.tokenservice.revocation.RevokedTokens;
import io.tokenservice.token.AccessTokenVerifier;
import io.tokenservice.token.VerifiedToken;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Guards {@link AdminOnly} resources with this service's own access tokens (RFC 6750 §2.1): no or malformed
 * token is 401 with a bare Bearer challenge; an invalid or expired one is 401 invalid_token; a valid token
 * without scope {@code admin} is 403 insufficient_scope. Responses are marked no-store.
 */
public class AdminBearerFilter {

    private static final String BEARER = "Bearer ";
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    private final AccessTokenVerifier verifier;
    private final RevokedTokens revoked;
    private final AdminCaller caller;

    AdminBearerFilter(AccessTokenVerifier verifier, RevokedTokens revoked, AdminCaller caller) {
        this.verifier = verifier;
        this.revoked = revoked;
        this.caller = caller;
    }

    @AdminOnly
    @ServerRequestFilter
    public void authenticate(ContainerRequestContext request) {
        List<String> headers = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (headers == null || headers.size() != 1) {
            throw new OAuthException(OAuthError.MISSING_TOKEN, "A bearer access token is required");
        }
        String header = headers.get(0);
        // RFC 6750 §2.1: b64token, one header, scheme case-insensitive (RFC 7235 §2.1).
        if (header.length() <= BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new OAuthException(OAuthError.MISSING_TOKEN, "A bearer access token is required");
        }
        String credentials = header.substring(BEARER.length()).trim();
        if (!B64TOKEN.matcher(credentials).matches()) {
            throw new OAuthException(OAuthError.MISSING_TOKEN, "A bearer access token is required");
        }
        VerifiedToken token = verifier.read(credentials).filter(read -> !revoked.isRevoked(read))
                .orElseThrow(() -> new OAuthException(OAuthError.INVALID_TOKEN, "The access token is invalid or expired"));
        if (!token.hasScope(AdminAuthority.SCOPE)) {
            throw new OAuthException(OAuthError.INSUFFICIENT_SCOPE, "The access token lacks scope admin");
        }
        caller.authenticated(token.subject());
    }

    /** Admin responses may carry a new secret, and always carry client data: no cache may keep them. */
    @AdminOnly
    @ServerResponseFilter
    public void noStore(ContainerResponseContext response) {
        response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
        response.getHeaders().putSingle("Pragma", "no-cache");
    }
}
