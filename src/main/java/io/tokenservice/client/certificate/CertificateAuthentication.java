package io.tokenservice.client.certificate;

import io.smallrye.mutiny.Uni;
import io.tokenservice.client.AuthenticationFailure;
import io.tokenservice.client.ClientAuthMethod;
import io.tokenservice.client.ClientAuthentication;
import io.tokenservice.client.ClientAuthenticationException;
import io.tokenservice.client.ClientAuthenticationStrategy;
import io.tokenservice.client.ClientCertificate;
import io.tokenservice.client.ClientDirectory;
import io.tokenservice.client.ClientIds;
import io.tokenservice.client.ClientSnapshot;
import io.tokenservice.jose.JwtRejectedException;
import io.tokenservice.jose.KeySets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Mutual TLS client authentication (RFC 8705 §2): the client the form's {@code client_id} names is registered for
 * {@code tls_client_auth} and the certificate chains to a trusted authority ({@link CertificateTrust}) and carries its
 * registered subject ({@link CertificateSubjects}), or for {@code self_signed_tls_client_auth} and the certificate's
 * public key is in its key set (§2.2), the certificate within its validity. The chain is judged before the client is
 * looked up, so a refusal takes as long whether or not the client exists. Every mismatch is
 * {@link AuthenticationFailure#BAD_CERTIFICATE}; at hand, only a cached client with its keys inline or fetched
 * within cache-for passes.
 */
@ApplicationScoped
public class CertificateAuthentication implements ClientAuthenticationStrategy {

    private final ClientDirectory directory;
    private final KeySets keys;
    private final CertificateTrust trust;
    private final Clock clock;

    @Inject
    CertificateAuthentication(ClientDirectory directory, KeySets keys, CertificateTrust trust) {
        this(directory, keys, trust, Clock.systemUTC());
    }

    CertificateAuthentication(ClientDirectory directory, KeySets keys, CertificateTrust trust, Clock clock) {
        this.directory = directory;
        this.keys = keys;
        this.trust = trust;
        this.clock = clock;
    }

    @Override
    public boolean reads(ClientAuthentication presented) {
        return presented instanceof ClientCertificate;
    }

    @Override
    public Attempt attempt(ClientAuthentication presented) {
        ClientCertificate request = (ClientCertificate) presented;
        String clientId = request.clientId();
        return new Attempt() {
            // As the client's registration says once it is found; a client of another method is a mismatch.
            private ClientAuthMethod method = ClientAuthMethod.TLS_CLIENT_AUTH;

            @Override
            public String budgetKey() {
                return ClientIds.isValid(clientId) ? clientId : "";
            }

            @Override
            public ClientAuthMethod method() {
                return method;
            }

            @Override
            public Optional<String> namedClientId() {
                return Optional.empty();
            }

            @Override
            public String loggedId() {
                return clientId;
            }

            @Override
            public Uni<ClientSnapshot> verify(String source, boolean suspect) {
                boolean trusted = trust.trusts(request.certificate().chain(), clock.instant());
                return directory.find(List.of(clientId)).flatMap(clients -> judged(clients, trusted, false));
            }

            @Override
            public Uni<ClientSnapshot> verifyAtHand() {
                boolean trusted = trust.trusts(request.certificate().chain(), clock.instant());
                return judged(directory.cachedOnly(List.of(clientId)), trusted, true);
            }

            private Uni<ClientSnapshot> judged(Map<String, ClientSnapshot> clients, boolean trusted, boolean cachedOnly) {
                ClientSnapshot client = clients.get(clientId);
                if (client == null) {
                    return failure(AuthenticationFailure.UNKNOWN_CLIENT);
                }
                if (!client.authMethod().usesCertificate()) {
                    return failure(AuthenticationFailure.METHOD_MISMATCH);
                }
                method = client.authMethod();
                var certificate = request.certificate().certificate();
                if (method == ClientAuthMethod.TLS_CLIENT_AUTH) {
                    boolean carries = client.tlsSubject().filter(subject -> CertificateSubjects.matches(subject, certificate))
                            .isPresent();
                    return trusted && carries ? Uni.createFrom().item(client) : failure(AuthenticationFailure.BAD_CERTIFICATE);
                }
                try {
                    certificate.checkValidity(Date.from(clock.instant()));
                } catch (CertificateException expiredOrEarly) {
                    return failure(AuthenticationFailure.BAD_CERTIFICATE);
                }
                return keys.holds(certificate.getPublicKey(), client.jwks(), client.jwksUri(), cachedOnly)
                        .onFailure(JwtRejectedException.class).transform(unavailable ->
                                new ClientAuthenticationException(AuthenticationFailure.KEYS_UNAVAILABLE))
                        .flatMap(held -> held ? Uni.createFrom().item(client) : failure(AuthenticationFailure.BAD_CERTIFICATE));
            }

            @Override
            public boolean cheapAtHand() {
                return false;
            }
        };
    }

    private static Uni<ClientSnapshot> failure(AuthenticationFailure reason) {
        return Uni.createFrom().failure(new ClientAuthenticationException(reason));
    }
}
