package io.tokenservice.token;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.tokenservice.binding.Confirmation;
import io.tokenservice.client.ClientSnapshot;
import io.tokenservice.endpoint.FormBody;
import io.tokenservice.error.OAuthError;
import io.tokenservice.error.OAuthException;
import jakarta.enterprise.context.ApplicationScoped;
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
 * and registration, which the token carries. A repeat of the same request may get the token already issued
 * ({@link ReissueWindow}).
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

    private final ClientTokenLimits limits;
    private final ReissueWindow tokens;

    ClientCredentialsGrant(ClientTokenLimits limits, ReissueWindow tokens) {
        this.limits = limits;
        this.tokens = tokens;
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
    public Uni<AccessToken> issue(ClientSnapshot client, Request request, Confirmation binding) {
        return Uni.createFrom().item(() -> authorize(client, request).boundTo(binding))
                .flatMap(grant -> tokens.issue(client, grant))
                .map(token -> token.boundAs(binding));
    }

    @WithSpan("token.authorize_grant")
    public AccessGrant authorize(ClientSnapshot client, Request request) {
        List<String> registered = client.scopes();
        List<String> scopes = request.scopes().orElse(registered);
        if (!registered.containsAll(scopes)) {
            // RFC 6749 §5.2 invalid_scope; which scope was refused is no business of a stranger's.
            throw new OAuthException(OAuthError.INVALID_SCOPE, "The requested scope is not allowed for this client");
        }
        List<String> allowed = limits.effectiveAudience(client.audience());
        // RFC 8707 §2: the resources narrow the audience, and must each be one the client may address.
        if (!allowed.containsAll(request.resources())
                || request.resources().size() > 1 && limits.admin().isAdminAudience(request.resources())) {
            throw new OAuthException(OAuthError.INVALID_TARGET, "The requested resource is not allowed for this client");
        }
        List<String> audience = request.resources().isEmpty() ? withoutAdminUnlessAlone(allowed) : request.resources();
        return new AccessGrant(client.clientId(), scopes, audience, limits.lifetime(client, audience), client.version(),
                client.registration(), client.accessTokenTyp());
    }

    private List<String> withoutAdminUnlessAlone(List<String> allowed) {
        List<String> others = allowed.stream().filter(aud -> !aud.equals(limits.admin().audience())).toList();
        return others.isEmpty() ? allowed : others;
    }
}
