package io.tokenservice.client;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.util.Objects;

/**
 * A (trusted issuer, subject) pair that names a federated_jwt client: a token of that issuer about that subject
 * authenticates the client, e.g. a Kubernetes service account ({@code system:serviceaccount:payments:api}) or a
 * SPIFFE ID ({@code spiffe://example.org/ns/payments/sa/api}). A pair belongs to one client.
 */
@Embeddable
public class FederatedCredential {

    @Column(name = "issuer", nullable = false, columnDefinition = "text")
    public String issuer;

    @Column(name = "subject", nullable = false, columnDefinition = "text")
    public String subject;

    public FederatedCredential() {
    }

    public FederatedCredential(String issuer, String subject) {
        this.issuer = issuer;
        this.subject = subject;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FederatedCredential that && issuer.equals(that.issuer) && subject.equals(that.subject);
    }

    @Override
    public int hashCode() {
        return Objects.hash(issuer, subject);
    }
}
