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
     * The client, for a request that may cause no lookup, fetch or write (its source is over its failure budget):
     * only a reusable token of a trusted issuer whose keys and subject this replica has at hand can pass; empty
     * when the assertion cannot be decided that way (a private_key_jwt assertion, or a single-use token, needs
     * its jti written to the replay store).
     */
    public Uni<Optional<ClientSnapshot>> verifyWithoutLookup(ClientAssertion presented, UnverifiedAssertion assertion) {
        Optional<IssuerPolicy> issuer = issuers.loaded(assertion.issuer()).filter(IssuerPolicy::allowReuse);
        if (issuer.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return federated.verify(presented, assertion, issuer.get(), true).map(Optional::of);
    }

    /** Whether {@code iss} is a trusted issuer, as far as this replica knows without a lookup. */
    public boolean isTrustedIssuer(String iss) {
        return issuers.loaded(iss).isPresent();
    }
}
