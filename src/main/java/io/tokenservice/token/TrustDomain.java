package io.tokenservice.token;

import io.quarkus.runtime.Startup;
import io.tokenservice.config.TokenServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * The trust domain transaction tokens are for ({@code token-service.transaction-tokens.trust-domain}): the {@code aud}
 * of every one, and what only workloads inside the domain accept. None configured, none are issued. It must be an
 * audience no access token carries, or an API that takes our access tokens without looking at {@code typ} would take
 * a transaction token too: the service refuses to start with the issuer, a default token audience or the admin
 * audience as its trust domain.
 */
@Startup
@ApplicationScoped
public class TrustDomain {

    private final Optional<String> id;

    @Inject
    TrustDomain(TokenServiceConfig config, AdminAuthority admin) {
        this(config.transactionTokens().trustDomain(), config.issuer(),
                ClientTokenLimits.configuredDefaultAudience(config), admin.audience());
    }

    TrustDomain(Optional<String> id, String issuer, List<String> defaultAudience, String adminAudience) {
        id.ifPresent(domain -> {
            if (domain.isBlank() || domain.equals(issuer) || defaultAudience.contains(domain) || domain.equals(adminAudience)) {
                throw new IllegalStateException("token-service.transaction-tokens.trust-domain '" + domain + "' is the "
                        + "issuer, a default token audience or the admin audience: access tokens carry it, so an API "
                        + "accepting them could take a transaction token for one. Name the trust domain apart "
                        + "(e.g. spiffe://example.org or https://example.org/trust-domain)");
            }
        });
        this.id = id;
    }

    /** The trust domain, when transaction tokens are issued at all. */
    public Optional<String> id() {
        return id;
    }
}
