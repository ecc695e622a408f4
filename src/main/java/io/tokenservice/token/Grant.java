package io.tokenservice.token;

import io.smallrye.mutiny.Uni;
import io.tokenservice.binding.Confirmation;
import io.tokenservice.client.ClientSnapshot;
import io.tokenservice.endpoint.FormBody;
import java.util.Set;

/**
 * One grant type of the token endpoint (Spring Authorization Server: one {@code AuthenticationProvider} per grant;
 * fosite: a {@code TokenEndpointHandler}): it reads its own parameters before any database work, and decides what an
 * authenticated client registered for it gets. {@link Grants} dispatches on {@code grant_type}.
 *
 * @param <P> its parameters, as read from the form
 */
public interface Grant<P> {

    /** Its {@code grant_type} value. */
    String type();

    /** The form parameters it reads, beyond {@code grant_type} and the client's authentication. */
    Set<String> parameters();

    /** Those of its parameters that may be sent more than once (RFC 6749 §3.2 allows it where a grant says so). */
    default Set<String> repeatableParameters() {
        return Set.of();
    }

    /**
     * Its parameters.
     *
     * @throws io.tokenservice.error.OAuthException for a missing or malformed one
     */
    P parse(FormBody form);

    /**
     * The token {@code client}, authenticated and registered for this grant, gets, bound to {@code binding} if it is an
     * access token (its {@code cnf}, {@link AccessGrant#boundTo}). Fails with
     * {@link io.tokenservice.error.OAuthException} for what it may not have.
     */
    Uni<AccessToken> issue(ClientSnapshot client, P parameters, Confirmation binding);
}
