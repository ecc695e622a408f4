package io.tokenservice.token;

import io.tokenservice.config.TokenServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;

/**
 * What makes an access token an administrator's: the admin audience ({@code token-service.admin.audience},
 * default the issuer + {@code /admin}) in its {@code aud} and scope {@code admin}. A token carries that audience
 * only when its client's registered audience does, and lives at most {@code token-service.admin.token-ttl}; a
 * scope named {@code admin} alone, common for other APIs, grants nothing here.
 */
@ApplicationScoped
public class AdminAuthority {

    /** The scope of administrators' tokens (RFC 6749 §3.3). */
    public static final String SCOPE = "admin";

    private final String audience;
    private final Duration tokenTtl;

    @Inject
    AdminAuthority(TokenServiceConfig config) {
        this(config.admin().audience().orElse(config.issuer().replaceAll("/+$", "") + "/admin"),
                config.admin().tokenTtl());
    }

    public AdminAuthority(String audience, Duration tokenTtl) {
        this.audience = audience;
        this.tokenTtl = tokenTtl;
    }

    /** The {@code aud} value of the admin API. */
    public String audience() {
        return audience;
    }

    /** Whether a token with this {@code aud} is meant for the admin API. */
    public boolean isAdminAudience(List<String> tokenAudience) {
        return tokenAudience.contains(audience);
    }

    /** The lifetime of a token with this {@code aud}: capped at the admin token TTL when it is an admin token. */
    public Duration lifetime(List<String> tokenAudience, Duration requested) {
        return isAdminAudience(tokenAudience) && requested.compareTo(tokenTtl) > 0 ? tokenTtl : requested;
    }

    /** Whether this client, as registered now, may administer: scope admin and the admin audience. */
    public boolean mayAdminister(List<String> scopes, List<String> registeredAudience) {
        return scopes.contains(SCOPE) && registeredAudience.contains(audience);
    }
}
