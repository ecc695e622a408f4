package io.tokenservice.client.assertion;

import io.smallrye.mutiny.Uni;
import io.tokenservice.client.ClientAssertion;
import io.tokenservice.client.ClientSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

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

    /** The client the assertion authenticates. */
    public Uni<ClientSnapshot> verify(ClientAssertion presented, UnverifiedAssertion assertion) {
        return issuers.find(assertion.issuer()).flatMap(issuer -> issuer.isPresent()
                ? federated.verify(presented, assertion, issuer.get(), false)
                : privateKeyJwt.verify(presented, assertion));
    }

    /**
     * The client, for a request that may cause no lookup or fetch (its source is over its failure budget): an
     * assertion passes when it verifies against what this replica has at hand, its client (or the trusted issuer's
     * subject) cached and the keys inline or fetched within cache-for, as a warm secret passes. A single-use
     * assertion is still written to the replay store, under its client's single-use budget.
     */
    public Uni<ClientSnapshot> verifyWithoutLookup(ClientAssertion presented, UnverifiedAssertion assertion) {
        Optional<IssuerPolicy> issuer = issuers.loaded(assertion.issuer());
        return issuer.isPresent() ? federated.verify(presented, assertion, issuer.get(), true)
                : privateKeyJwt.verify(presented, assertion, true);
    }

    /** Whether {@code iss} is a trusted issuer, as far as this replica knows without a lookup. */
    public boolean isTrustedIssuer(String iss) {
        return issuers.loaded(iss).isPresent();
    }
}
