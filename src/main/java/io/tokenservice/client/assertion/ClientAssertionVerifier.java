package io.tokenservice.client.assertion;

import io.smallrye.mutiny.Uni;
import io.tokenservice.client.ClientAssertion;
import io.tokenservice.client.ClientSnapshot;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Sends a client assertion to the verifier of its kind: a token whose iss is a trusted issuer is a federated
 * workload's ({@link FederatedJwtVerifier}); any other is a private_key_jwt client's own, iss being its client_id
 * ({@link PrivateKeyJwtVerifier}).
 */
@ApplicationScoped
public class ClientAssertionVerifier {

    private final TrustedIssuers issuers;
    private final PrivateKeyJwtVerifier privateKeyJwt;
    private final FederatedJwtVerifier federated;

    ClientAssertionVerifier(TrustedIssuers issuers, PrivateKeyJwtVerifier privateKeyJwt, FederatedJwtVerifier federated) {
        this.issuers = issuers;
        this.privateKeyJwt = privateKeyJwt;
        this.federated = federated;
    }

    /** The client the assertion authenticates; with {@code cachedOnly}, nothing is looked up or fetched. */
    public Uni<ClientSnapshot> verify(ClientAssertion presented, UnverifiedAssertion assertion, boolean cachedOnly) {
        return issuers.find(assertion.issuer()).flatMap(issuer -> issuer.isPresent()
                ? federated.verify(presented, assertion, issuer.get(), cachedOnly)
                : privateKeyJwt.verify(presented, assertion, cachedOnly));
    }
}
