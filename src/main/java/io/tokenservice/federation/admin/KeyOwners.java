package io.tokenservice.federation.admin;

import io.smallrye.mutiny.Uni;
import io.tokenservice.admin.HttpUrls;
import io.tokenservice.client.RegisteredClient;
import io.tokenservice.error.OAuthException;
import io.tokenservice.federation.IssuerPolicy;
import io.tokenservice.federation.TrustedIssuer;
import io.tokenservice.federation.TrustedIssuers;
import io.tokenservice.jose.ServiceAudiences;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who may publish keys where: a key set URL belongs to one owner (a trusted issuer or a client), so that keys
 * meant to sign one party's tokens never verify another's; and no trusted issuer is this service itself, whose own
 * access tokens would otherwise authenticate clients as a platform's workload tokens do. URLs are compared in one
 * spelling ({@link HttpUrls#normalized}). Run inside the admin change's transaction; a violation is a 400 naming the
 * field. Two admin changes committed at once are not checked against each other.
 */
@ApplicationScoped
public class KeyOwners {

    private final ServiceAudiences us;
    private final TrustedIssuers trustedIssuers;

    KeyOwners(ServiceAudiences us, TrustedIssuers trustedIssuers) {
        this.us = us;
        this.trustedIssuers = trustedIssuers;
    }

    /** Refuses a client's jwks_uri that a trusted issuer publishes its keys at. */
    public Uni<Void> clientMayUse(String jwksUri) {
        if (jwksUri == null) {
            return Uni.createFrom().voidItem();
        }
        String normalized = HttpUrls.normalized(jwksUri);
        if (trustedIssuers.all().stream().anyMatch(issuer -> issuer.jwksUri().filter(uri -> same(uri, normalized)).isPresent())) {
            return refused("jwks_uri", "A trusted issuer publishes its keys at this jwks_uri");
        }
        // Trusted issuers are few: every stored one is compared, however its URL was spelled when it was stored.
        return TrustedIssuer.<TrustedIssuer>list("jwksUri is not null").flatMap(issuers -> issuers.stream()
                .anyMatch(issuer -> same(issuer.jwksUri, normalized))
                ? refused("jwks_uri", "A trusted issuer publishes its keys at this jwks_uri")
                : Uni.createFrom().voidItem());
    }

    /** Refuses an issuer that is this service, or whose jwks_uri another issuer or a client publishes keys at. */
    Uni<Void> issuerMayUse(TrustedIssuer issuer) {
        if (us.isOurIssuer(issuer.issuer)) {
            return refused("issuer", "This service's own issuer cannot be a trusted issuer");
        }
        if (issuer.jwksUri == null) {
            return Uni.createFrom().voidItem();
        }
        String normalized = HttpUrls.normalized(issuer.jwksUri);
        boolean configured = trustedIssuers.all().stream()
                .filter(policy -> IssuerPolicy.CONFIG.equals(policy.source()))
                .anyMatch(policy -> policy.jwksUri().filter(uri -> same(uri, normalized)).isPresent());
        if (configured) {
            return refused("jwks_uri", "Another trusted issuer publishes its keys at this jwks_uri");
        }
        return TrustedIssuer.<TrustedIssuer>list("jwksUri is not null and name <> ?1", issuer.name)
                .flatMap(issuers -> issuers.stream().anyMatch(other -> same(other.jwksUri, normalized))
                        ? refused("jwks_uri", "Another trusted issuer publishes its keys at this jwks_uri")
                        // Clients' URLs are stored in the one spelling, as this one is.
                        : RegisteredClient.count("jwksUri = ?1", normalized).flatMap(clients -> clients > 0
                                ? refused("jwks_uri", "A client publishes its keys at this jwks_uri")
                                : Uni.createFrom().voidItem()));
    }

    /** Whether a stored URL, however spelled, is {@code normalized}. */
    private static boolean same(String stored, String normalized) {
        try {
            return HttpUrls.normalized(stored).equals(normalized);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Uni<Void> refused(String field, String description) {
        return Uni.createFrom().failure(OAuthException.invalidField(field, description));
    }
}
