package io.tokenservice.client.assertion;

import io.smallrye.mutiny.Uni;
import io.tokenservice.client.AuthenticationFailure;
import io.tokenservice.client.ClientAssertion;
import io.tokenservice.client.ClientAuthMethod;
import io.tokenservice.client.ClientAuthentication;
import io.tokenservice.client.ClientAuthenticationException;
import io.tokenservice.client.ClientAuthenticationStrategy;
import io.tokenservice.client.ClientIds;
import io.tokenservice.client.ClientSnapshot;
import io.tokenservice.federation.IssuerPolicy;
import io.tokenservice.federation.TrustedIssuers;
import io.tokenservice.jose.JwtRejectedException;
import io.tokenservice.jose.UnverifiedJwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Client assertions (RFC 7521 §4.2): a token whose iss is a trusted issuer is a federated workload's
 * ({@link FederatedJwtVerifier}, method federated_jwt, budgeted by its subject: each is a workload of its own); any
 * other is a private_key_jwt client's own, iss being its client_id ({@link PrivateKeyJwtVerifier}). At hand, an
 * assertion verifies against a cached client (or subject) and keys inline or fetched within cache-for, never a lookup
 * or fetch; a single-use one is still written to the replay store, within its client's single-use budget.
 */
@ApplicationScoped
public class AssertionAuthentication implements ClientAuthenticationStrategy {

    private final TrustedIssuers issuers;
    private final PrivateKeyJwtVerifier privateKeyJwt;
    private final FederatedJwtVerifier federated;

    AssertionAuthentication(TrustedIssuers issuers, PrivateKeyJwtVerifier privateKeyJwt, FederatedJwtVerifier federated) {
        this.issuers = issuers;
        this.privateKeyJwt = privateKeyJwt;
        this.federated = federated;
    }

    @Override
    public boolean reads(ClientAuthentication presented) {
        return presented instanceof ClientAssertion;
    }

    @Override
    public Attempt attempt(ClientAuthentication presented) {
        ClientAssertion request = (ClientAssertion) presented;
        UnverifiedJwt assertion;
        try {
            assertion = UnverifiedJwt.parse(request.jwt());
        } catch (JwtRejectedException malformed) {
            throw rejected(malformed);
        }
        // Before a replica's first read of the stored issuers only configured ones are known: briefly, by issuer URL.
        boolean trustedIssuer = issuers.loaded(assertion.issuer()).isPresent();
        String named = trustedIssuer ? assertion.subject() : assertion.issuer();
        return new Attempt() {
            // As read before the stored issuers are; then as the path verify takes, which the policy judges.
            private ClientAuthMethod method = trustedIssuer ? ClientAuthMethod.FEDERATED_JWT
                    : ClientAuthMethod.PRIVATE_KEY_JWT;

            @Override
            public String budgetKey() {
                return ClientIds.isValid(named) ? named : "";
            }

            @Override
            public ClientAuthMethod method() {
                return method;
            }

            @Override
            public Optional<String> namedClientId() {
                return request.clientId();
            }

            @Override
            public String loggedId() {
                return assertion.issuer();
            }

            @Override
            public Uni<ClientSnapshot> verify(String source, boolean suspect) {
                return issuers.find(assertion.issuer()).flatMap(issuer -> {
                    method = issuer.isPresent() ? ClientAuthMethod.FEDERATED_JWT : ClientAuthMethod.PRIVATE_KEY_JWT;
                    return issuer.isPresent() ? federated.verify(request, assertion, issuer.get(), false)
                            : privateKeyJwt.verify(request, assertion, false);
                })
                        .onFailure(JwtRejectedException.class).transform(failure -> rejected((JwtRejectedException) failure));
            }

            @Override
            public Uni<ClientSnapshot> verifyAtHand() {
                Optional<IssuerPolicy> issuer = issuers.loaded(assertion.issuer());
                return (issuer.isPresent() ? federated.verify(request, assertion, issuer.get(), true)
                        : privateKeyJwt.verify(request, assertion, true))
                        .onFailure(JwtRejectedException.class).transform(failure -> rejected((JwtRejectedException) failure));
            }

            @Override
            public boolean cheapAtHand() {
                return false;
            }
        };
    }

    /** What a rejected JWT means for a client's authentication: invalid_client, for the reason it names. */
    static ClientAuthenticationException rejected(JwtRejectedException rejected) {
        return new ClientAuthenticationException(switch (rejected.reason()) {
            case MALFORMED -> AuthenticationFailure.MALFORMED_ASSERTION;
            case RULE_BROKEN -> AuthenticationFailure.ASSERTION_REJECTED;
            case BAD_SIGNATURE -> AuthenticationFailure.BAD_SIGNATURE;
            case KEYS_UNAVAILABLE -> AuthenticationFailure.KEYS_UNAVAILABLE;
        });
    }
}
