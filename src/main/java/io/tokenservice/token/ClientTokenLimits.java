package io.tokenservice.token;

import io.tokenservice.client.ClientSnapshot;
import io.tokenservice.config.TokenServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What any token of a client may be, whichever grant issues it: its audience (the client's registered one, or the
 * service default, which never holds the admin audience) and its lifetime (the client's own, or
 * {@code token-service.token.ttl}, at most {@code token-service.token.max-ttl}, and at most
 * {@code token-service.admin.token-ttl} for an admin token).
 */
@ApplicationScoped
public class ClientTokenLimits {

    private final List<String> defaultAudience;
    private final Duration defaultLifetime;
    private final Duration maxLifetime;
    private final AdminAuthority admin;

    private final Optional<String> trustDomain;

    @Inject
    ClientTokenLimits(TokenServiceConfig config, AdminAuthority admin, TrustDomain trustDomain) {
        this(configuredDefaultAudience(config), config.token().ttl(), config.token().maxTtl(), admin, trustDomain.id());
    }

    /** {@code token-service.token.audience}, else the issuer: the audience of a client that registered none. */
    public static List<String> configuredDefaultAudience(TokenServiceConfig config) {
        return config.token().audience().orElse(List.of(config.issuer()));
    }

    ClientTokenLimits(List<String> defaultAudience, Duration defaultLifetime, Duration maxLifetime, AdminAuthority admin) {
        this(defaultAudience, defaultLifetime, maxLifetime, admin, Optional.empty());
    }

    ClientTokenLimits(List<String> defaultAudience, Duration defaultLifetime, Duration maxLifetime, AdminAuthority admin,
            Optional<String> trustDomain) {
        this.trustDomain = trustDomain;
        // Only a client registered for the admin audience gets it, never every client through the default.
        this.defaultAudience = defaultAudience.stream().filter(aud -> !aud.equals(admin.audience())).toList();
        this.defaultLifetime = defaultLifetime;
        this.maxLifetime = maxLifetime;
        this.admin = admin;
    }

    /**
     * The audience a client's tokens may carry: its registered one, or the service default when it has none; never
     * the trust domain of transaction tokens (a client stored with it before it was one does not get it).
     */
    public List<String> effectiveAudience(List<String> registered) {
        List<String> audience = registered.isEmpty() ? defaultAudience : registered;
        return trustDomain.isEmpty() ? audience : audience.stream().filter(aud -> !aud.equals(trustDomain.get())).toList();
    }

    /** How long a token of this client with this audience lives, at most. */
    public Duration lifetime(ClientSnapshot client, List<String> audience) {
        Duration own = client.accessTokenTtl() != null ? Duration.ofSeconds(client.accessTokenTtl()) : defaultLifetime;
        // A lowered max-ttl applies to clients that stored a longer lifetime before.
        return admin.lifetime(audience, own.compareTo(maxLifetime) > 0 ? maxLifetime : own);
    }

    /** The admin API's authority, whose audience no grant gives away by default. */
    public AdminAuthority admin() {
        return admin;
    }
}
