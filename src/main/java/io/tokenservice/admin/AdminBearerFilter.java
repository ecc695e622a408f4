package io.tokenservice.admin;

import io.smallrye.mutiny.Uni;
import io.tokenservice.binding.ProofOfPossession;
import io.tokenservice.endpoint.ClientCertificates;
import io.tokenservice.error.ErrorMapper;
import io.tokenservice.error.OAuthError;
import io.tokenservice.error.OAuthException;
import io.tokenservice.jose.DpopNonces;
import io.tokenservice.jose.DpopProofs;
import io.tokenservice.revocation.ActiveTokens;
import io.tokenservice.token.AccessTokenVerifier;
import io.tokenservice.token.AdminAuthority;
import io.tokenservice.token.VerifiedToken;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Guards {@link AdminOnly} resources with this service's own access tokens (RFC 6750 §2.1). No or malformed
 * token: 401 with a bare Bearer challenge. 401 invalid_token: invalid, expired or revoked; without the admin
 * audience ({@link AdminAuthority}); or of a client that no longer exists, is disabled, cut off its tokens
 * issued before, or no longer holds scope admin and the admin audience. A token for the admin API without scope
 * {@code admin}: 403 insufficient_scope. A sender-constrained token counts only with its proof: the DPoP scheme and
 * a proof by its key, or its certificate on the connection ({@link ProofOfPossession}); else 401 invalid_token.
 * Responses are marked no-store.
 */
public class AdminBearerFilter {

    private static final String BEARER = "Bearer ";
    private static final String DPOP_SCHEME = "DPoP ";
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    private final AccessTokenVerifier verifier;
    private final ActiveTokens active;
    private final AdminAuthority authority;
    private final AdminCaller caller;
    private final ProofOfPossession possession;
    private final ClientCertificates certificates;
    private final DpopNonces nonces;

    AdminBearerFilter(AccessTokenVerifier verifier, ActiveTokens active, AdminAuthority authority, AdminCaller caller,
            ProofOfPossession possession, ClientCertificates certificates, DpopNonces nonces) {
        this.nonces = nonces;
        this.possession = possession;
        this.certificates = certificates;
        this.verifier = verifier;
        this.active = active;
        this.authority = authority;
        this.caller = caller;
    }

    @AdminOnly
    @ServerRequestFilter
    public Uni<Void> authenticate(ContainerRequestContext request, HttpServerRequest http) {
        Presented presented = presentedToken(request);
        VerifiedToken token = verifier.read(presented.token()).orElseThrow(AdminBearerFilter::invalidToken);
        if (!authority.isAdminAudience(token.audience())) {
            throw new OAuthException(OAuthError.INVALID_TOKEN, "The access token is not for the admin API");
        }
        if (!token.hasScope(AdminAuthority.SCOPE)) {
            throw new OAuthException(OAuthError.INSUFFICIENT_SCOPE, "The access token lacks scope admin");
        }
        // Honoured first (not revoked, its client still an administrator), then held: no proof of a dead token is
        // written to the replay store.
        return active.clientOf(token).flatMap(client -> {
            if (client.isEmpty() || !authority.mayAdminister(client.get().scopes(), client.get().audience())) {
                throw invalidToken();
            }
            return possession.check(token.claims(), presented.token(), token.clientId(), presented.scheme(),
                    request.getHeaders().get(DpopProofs.HEADER), certificates.of(http), request.getMethod(),
                    request.getUriInfo().getRequestUri().getRawPath());
        }).invoke(held -> caller.authenticated(token.subject()));
    }

    private record Presented(ProofOfPossession.Scheme scheme, String token) {
    }

    /**
     * The b64token of the one Authorization header, and its scheme: Bearer (RFC 6750 §2.1) or DPoP (RFC 9449 §7.1),
     * case-insensitive (RFC 7235 §2.1).
     */
    private static Presented presentedToken(ContainerRequestContext request) {
        List<String> headers = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (headers == null || headers.size() != 1) {
            throw new OAuthException(OAuthError.MISSING_TOKEN, "A bearer access token is required");
        }
        String header = headers.get(0);
        ProofOfPossession.Scheme scheme;
        String prefix;
        if (header.length() > BEARER.length() && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            scheme = ProofOfPossession.Scheme.BEARER;
            prefix = BEARER;
        } else if (header.length() > DPOP_SCHEME.length()
                && header.regionMatches(true, 0, DPOP_SCHEME, 0, DPOP_SCHEME.length())) {
            scheme = ProofOfPossession.Scheme.DPOP;
            prefix = DPOP_SCHEME;
        } else {
            throw new OAuthException(OAuthError.MISSING_TOKEN, "A bearer access token is required");
        }
        String credentials = header.substring(prefix.length()).trim();
        if (!B64TOKEN.matcher(credentials).matches()) {
            throw new OAuthException(OAuthError.MISSING_TOKEN, "A bearer access token is required");
        }
        return new Presented(scheme, credentials);
    }

    private static OAuthException invalidToken() {
        return new OAuthException(OAuthError.INVALID_TOKEN, "The access token is invalid or expired");
    }

    /** Admin responses may carry a new secret, and always carry client data: no cache may keep them. */
    @AdminOnly
    @ServerResponseFilter
    public void noStore(ContainerResponseContext response) {
        response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
        response.getHeaders().putSingle("Pragma", "no-cache");
        // RFC 9449 §9: a resource that asks for nonces hands out the next one with every answer.
        if (!response.getHeaders().containsKey(ErrorMapper.DPOP_NONCE)) {
            nonces.fresh().ifPresent(nonce -> response.getHeaders().putSingle(ErrorMapper.DPOP_NONCE, nonce));
        }
    }
}
