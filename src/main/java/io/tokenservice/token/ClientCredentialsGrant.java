package io.tokenservice.token;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.tokenservice.client.ClientSnapshot;
import io.smallrye.mutiny.Uni;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.endpoint.FormBody;
import io.tokenservice.error.OAuthError;
import io.tokenservice.error.OAuthException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what an authenticated client gets from a client_credentials request (RFC 6749 §4.4): the requested
 * scopes when all are registered for it, else invalid_scope; all its registered scopes when none are requested;
 * its registered audience or the service default (never the admin audience), narrowed to the requested resources
 * (RFC 8707), which must be in it, else invalid_target. The admin audience goes only alone: to a client registered
 * for nothing else, or asked for as the one resource, so that no API that receives a token can replay it at the
 * admin API. Its own token lifetime or the service default, at most
 * {@code token-service.token.max-ttl}, and at most {@code token-service.admin.token-ttl} for an admin token; the client's version
 * and registration, which the token carries.
 */
@ApplicationScoped
public class ClientCredentialsGrant implements Grant<ClientCredentialsGrant.Request> {

    /**
     * The parameters of a client_credentials request, RFC 6749 §4.4.2.
     *
     * @param scopes the requested scopes (OPTIONAL); empty means the client's registered scopes
     * @param resources the requested resources (RFC 8707 §2), distinct; empty means the client's whole audience
     */
    public record Request(Optional<List<String>> scopes, List<String> resources) {
    }

    private final List<String> defaultAudience;
    private final Duration defaultLifetime;
    private final Duration maxLifetime;
    private final AdminAuthority admin;
    private final AccessTokenMinter minter;

    @Inject
    ClientCredentialsGrant(TokenServiceConfig config, AdminAuthority admin, AccessTokenMinter minter) {
        this(config.token().audience().orElse(List.of(config.issuer())), config.token().ttl(), config.token().maxTtl(),
                admin, minter);
    }

    ClientCredentialsGrant(List<String> defaultAudience, Duration defaultLifetime, Duration maxLifetime,
            AdminAuthority admin, AccessTokenMinter minter) {
        this.minter = minter;
        // Only a client registered for the admin audience gets it, never every client through the default.
        this.defaultAudience = defaultAudience.stream().filter(aud -> !aud.equals(admin.audience())).toList();
        this.defaultLifetime = defaultLifetime;
        this.maxLifetime = maxLifetime;
        this.admin = admin;
    }

    @Override
    public String type() {
        return Grants.CLIENT_CREDENTIALS;
    }

    @Override
    public Set<String> parameters() {
        return Set.of(GrantParameters.SCOPE, GrantParameters.RESOURCE);
    }

    @Override
    public Set<String> repeatableParameters() {
        // RFC 8707 §2: the one parameter that may be sent more than once.
        return Set.of(GrantParameters.RESOURCE);
    }

    @Override
    public Request parse(FormBody form) {
        return new Request(GrantParameters.scopes(form), GrantParameters.resources(form));
    }

    @Override
    public Uni<AccessToken> issue(ClientSnapshot client, Request request) {
        return Uni.createFrom().item(() -> minter.mint(authorize(client, request)));
    }

    @WithSpan("token.authorize_grant")
    public AccessGrant authorize(ClientSnapshot client, Request request) {
        List<String> registered = client.scopes();
        List<String> scopes = request.scopes().orElse(registered);
        if (!registered.containsAll(scopes)) {
            // RFC 6749 §5.2 invalid_scope; which scope was refused is no business of a stranger's.
            throw new OAuthException(OAuthError.INVALID_SCOPE, "The requested scope is not allowed for this client");
        }
        List<String> allowed = effectiveAudience(client.audience());
        // RFC 8707 §2: the resources narrow the audience, and must each be one the client may address.
        if (!allowed.containsAll(request.resources())
                || request.resources().size() > 1 && admin.isAdminAudience(request.resources())) {
            throw new OAuthException(OAuthError.INVALID_TARGET, "The requested resource is not allowed for this client");
        }
        List<String> audience = request.resources().isEmpty() ? withoutAdminUnlessAlone(allowed) : request.resources();
        Duration own = client.accessTokenTtl() != null ? Duration.ofSeconds(client.accessTokenTtl()) : defaultLifetime;
        // A lowered max-ttl applies to clients that stored a longer lifetime before.
        Duration lifetime = admin.lifetime(audience, own.compareTo(maxLifetime) > 0 ? maxLifetime : own);
        return new AccessGrant(client.clientId(), scopes, audience, lifetime, client.version(), client.registration(),
                client.accessTokenTyp());
    }

    /** The audience a client's tokens may carry: its registered one, or the service default when it has none. */
    public List<String> effectiveAudience(List<String> registered) {
        return registered.isEmpty() ? defaultAudience : registered;
    }

    private List<String> withoutAdminUnlessAlone(List<String> allowed) {
        List<String> others = allowed.stream().filter(aud -> !aud.equals(admin.audience())).toList();
        return others.isEmpty() ? allowed : others;
    }
}
