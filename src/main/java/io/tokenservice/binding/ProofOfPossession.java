package io.tokenservice.binding;

import io.smallrye.mutiny.Uni;
import io.tokenservice.client.PresentedCertificate;
import io.tokenservice.endpoint.EndpointUrls;
import io.tokenservice.error.OAuthError;
import io.tokenservice.error.OAuthException;
import io.tokenservice.jose.DpopProofRejectedException;
import io.tokenservice.jose.DpopProofs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where this service is itself the resource (the admin API): whether a request that presents one of our access
 * tokens proves it is the token's holder. A token bound to a DPoP key comes with the {@code DPoP} scheme and a proof
 * by that key for this request and this token (RFC 9449 §7: {@code htm}, {@code htu}, {@code ath}); a token bound to
 * a certificate comes over a connection with that certificate (RFC 8705 §3); a bearer token with the {@code Bearer}
 * scheme, never {@code DPoP}. Anything else is {@code invalid_token} (401); a refused proof is 401 with a DPoP
 * challenge, {@code invalid_dpop_proof} or, without the nonce this service requires, {@code use_dpop_nonce} and a
 * {@code DPoP-Nonce} header (RFC 9449 §7.1, §9).
 */
@ApplicationScoped
public class ProofOfPossession {

    /** The Authorization schemes a token may come with (RFC 6750 §2.1, RFC 9449 §7.1). */
    public enum Scheme {
        BEARER, DPOP
    }

    private final DpopProofs proofs;
    private final EndpointUrls urls;

    @Inject
    ProofOfPossession(DpopProofs proofs, EndpointUrls urls) {
        this.proofs = proofs;
        this.urls = urls;
    }

    /**
     * Succeeds when the request holds the token.
     *
     * @param claims the token's verified claims
     * @param token the token as presented
     * @param clientId whose DPoP budget a proof is charged to
     * @param path the request's path, which a proof's htu names under the issuer
     */
    public Uni<Void> check(Map<String, Object> claims, String token, String clientId, Scheme scheme,
            List<String> dpopHeaders, Optional<PresentedCertificate> certificate, String method, String path) {
        Confirmation binding = Confirmation.of(claims);
        if (binding.certificateThumbprint().isPresent() && !certificate.map(PresentedCertificate::thumbprint)
                .filter(thumbprint -> equal(thumbprint, binding.certificateThumbprint().get())).isPresent()) {
            return refused("The access token is bound to another client certificate");
        }
        if (binding.jkt().isEmpty()) {
            return scheme == Scheme.BEARER ? Uni.createFrom().voidItem()
                    : refused("The access token is not DPoP-bound: send it as a Bearer token");
        }
        if (scheme != Scheme.DPOP) {
            // RFC 9449 §7.2: a DPoP-bound token presented as a bearer token is refused.
            return refused("The access token is DPoP-bound: send it with the DPoP scheme and a proof");
        }
        // The proof must be by the token's key before its jti is written: a thief's own proofs cost the client nothing.
        return proofs.verify(dpopHeaders, method, urls.every(path), Optional.of(token), binding.jkt(),
                        clientId)
                .onFailure(DpopProofRejectedException.class)
                .transform(rejected -> ((DpopProofRejectedException) rejected).atResource())
                .replaceWithVoid();
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    private static Uni<Void> refused(String description) {
        return Uni.createFrom().failure(invalid(description));
    }

    private static OAuthException invalid(String description) {
        return new OAuthException(OAuthError.INVALID_TOKEN, description);
    }
}
