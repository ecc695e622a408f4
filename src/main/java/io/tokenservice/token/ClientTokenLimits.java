package io.tokenservice.token;

import io.tokenservice.client.ClientSnapshot;
import io.tokenservice.config.TokenServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;

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

    @Inject
    ClientTokenLimits(TokenServiceConfig config, AdminAuthority admin) {
        this(config.token().audience().orElse(List.of(config.issuer())), config.token().ttl(), config.token().maxTtl(),
                admin);
    }

    ClientTokenLimits(List<String> defaultAudience, Duration defaultLifetime, Duration maxLifetime, AdminAuthority admin) {
        // Only a client registered for the admin audience gets it, never every client through the default.
        this.defaultAudience = defaultAudience.stream().filter(aud -> !aud.equals(admin.audience())).toList();
        this.defaultLifetime = defaultLifetime;
        this.maxLifetime = maxLifetime;
        this.admin = admin;
    }

    /** The audience a client's tokens may carry: its registered one, or the service default when it has none. */
    public List<String> effectiveAudience(List<String> registered) {
        return registered.isEmpty() ? defaultAudience : registered;
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
