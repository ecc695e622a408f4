package io.tokenservice.admin;

import io.smallrye.mutiny.Uni;
import io.tokenservice.client.RegisteredClient;
import io.tokenservice.client.assertion.IssuerPolicy;
import io.tokenservice.client.assertion.TrustedIssuer;
import io.tokenservice.client.assertion.TrustedIssuers;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.error.OAuthException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who may publish keys where: a key set URL belongs to one owner (a trusted issuer or a client), so that keys
 * meant to sign one party's tokens never verify another's; and no trusted issuer is this service itself, whose own
 * access tokens would otherwise authenticate clients as a platform's workload tokens do. Run inside the admin
 * change's transaction; a violation is a 400 naming the field.
 */
@ApplicationScoped
class KeyOwners {

    private final String ownIssuer;
    private final TrustedIssuers trustedIssuers;

    KeyOwners(TokenServiceConfig config, TrustedIssuers trustedIssuers) {
        this.ownIssuer = withoutTrailingSlash(config.issuer());
        this.trustedIssuers = trustedIssuers;
    }

    /** Refuses a client's jwks_uri that a trusted issuer publishes its keys at. */
    Uni<Void> clientMayUse(String jwksUri) {
        if (jwksUri == null) {
            return Uni.createFrom().voidItem();
        }
        if (trustedIssuers.all().stream().anyMatch(issuer -> issuer.jwksUri().filter(jwksUri::equals).isPresent())) {
            return refused("jwks_uri", "A trusted issuer publishes its keys at this jwks_uri");
        }
        return TrustedIssuer.count("jwksUri = ?1", jwksUri).flatMap(count -> count > 0
                ? refused("jwks_uri", "A trusted issuer publishes its keys at this jwks_uri")
                : Uni.createFrom().voidItem());
    }

    /** Refuses an issuer that is this service, or whose jwks_uri another issuer or a client publishes keys at. */
    Uni<Void> issuerMayUse(TrustedIssuer issuer) {
        if (withoutTrailingSlash(issuer.issuer).equals(ownIssuer)) {
            return refused("issuer", "This service's own issuer cannot be a trusted issuer");
        }
        if (issuer.jwksUri == null) {
            return Uni.createFrom().voidItem();
        }
        boolean configured = trustedIssuers.all().stream()
                .filter(policy -> IssuerPolicy.CONFIG.equals(policy.source()))
                .anyMatch(policy -> policy.jwksUri().filter(issuer.jwksUri::equals).isPresent());
        if (configured) {
            return refused("jwks_uri", "Another trusted issuer publishes its keys at this jwks_uri");
        }
        return TrustedIssuer.count("jwksUri = ?1 and name <> ?2", issuer.jwksUri, issuer.name)
                .flatMap(issuers -> issuers > 0
                        ? refused("jwks_uri", "Another trusted issuer publishes its keys at this jwks_uri")
                        : RegisteredClient.count("jwksUri = ?1", issuer.jwksUri).flatMap(clients -> clients > 0
                                ? refused("jwks_uri", "A client publishes its keys at this jwks_uri")
                                : Uni.createFrom().voidItem()));
    }

    static String withoutTrailingSlash(String url) {
        return url.replaceAll("/+$", "");
    }

    private static Uni<Void> refused(String field, String description) {
        return Uni.createFrom().failure(OAuthException.invalidField(field, description));
    }
}
