package io.tokenservice.binding;

import io.smallrye.mutiny.Uni;
import io.tokenservice.client.ClientSnapshot;
import io.tokenservice.client.PresentedCertificate;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.endpoint.EndpointUrls;
import io.tokenservice.endpoint.Endpoints;
import io.tokenservice.error.OAuthError;
import io.tokenservice.error.OAuthException;
import io.tokenservice.jose.DpopNonces;
import io.tokenservice.jose.DpopProofRejectedException;
import io.tokenservice.jose.DpopProofs;
import io.tokenservice.throttle.FailureThrottle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one owner of what a token about to be issued is bound to (sender-constrained tokens). A request with a DPoP
 * proof (RFC 9449 §5) gets a token bound to the proof's key, and a client registered with
 * {@code dpop_bound_access_tokens} must send one ({@code invalid_dpop_proof}). A request with a client certificate
 * (RFC 8705 §3) gets a token bound to it when its client is registered with
 * {@code tls_client_certificate_bound_access_tokens}, which must then come with one ({@code invalid_request}), or
 * when {@code token-service.mtls.bind-presented-certificates} is on. The proof names the token endpoint under the
 * issuer or under {@code token-service.mtls.endpoint-base}. A refused proof is charged to the failure budgets of the
 * request's source and client, as a failed authentication is.
 */
@ApplicationScoped
public class TokenBindings {

    private final DpopProofs proofs;
    private final DpopNonces nonces;
    private final FailureThrottle throttle;
    private final boolean bindPresentedCertificates;
    private final Set<String> tokenEndpoints;

    @Inject
    TokenBindings(DpopProofs proofs, DpopNonces nonces, FailureThrottle throttle, EndpointUrls urls,
            TokenServiceConfig config) {
        this.proofs = proofs;
        this.nonces = nonces;
        this.throttle = throttle;
        this.bindPresentedCertificates = config.mtls().bindPresentedCertificates();
        this.tokenEndpoints = urls.every(Endpoints.TOKEN);
    }

    /**
     * What the token {@code client} is about to get is bound to.
     *
     * @param dpopHeaders the request's {@code DPoP} headers
     * @param certificate the certificate the request came with
     * @param source where the request comes from: a refused proof is charged to its failure budget and the client's
     */
    public Uni<Confirmation> confirm(ClientSnapshot client, List<String> dpopHeaders,
            Optional<PresentedCertificate> certificate, String source) {
        Optional<String> certificateThumbprint = Optional.empty();
        if (client.binding().certificate() || bindPresentedCertificates) {
            if (client.binding().certificate() && certificate.isEmpty()) {
                // RFC 8705 §3: a certificate-bound token is issued to the certificate of the connection.
                throw OAuthException.invalidRequest(
                        "This client's tokens are bound to its certificate: connect with it");
            }
            certificateThumbprint = certificate.map(PresentedCertificate::thumbprint);
        }
        Optional<String> bindCertificate = certificateThumbprint;
        if (dpopHeaders == null || dpopHeaders.isEmpty()) {
            if (client.binding().dpop()) {
                // RFC 9449 §5.2.1: a client registered for DPoP-bound tokens gets none without a proof.
                throw new OAuthException(OAuthError.INVALID_DPOP_PROOF, "This client's tokens are DPoP-bound: send a "
                        + "DPoP proof");
            }
            return Uni.createFrom().item(new Confirmation(Optional.empty(), bindCertificate));
        }
        return proofs.verify(dpopHeaders, "POST", tokenEndpoints, Optional.empty(), client.clientId())
                .onFailure(DpopProofRejectedException.class).invoke(failure -> {
                    // Throttled like any other failure; a proof that only lacked the nonce is no failure.
                    if (!((DpopProofRejectedException) failure).nonceNeeded()) {
                        throttle.failedProof(client.clientId(), source);
                    }
                })
                .map(jkt -> new Confirmation(Optional.of(jkt), bindCertificate));
    }

    /** The nonce a response of the token endpoint hands out ({@code DPoP-Nonce}), when nonces are required. */
    public Optional<String> freshNonce() {
        return nonces.fresh();
    }
}
