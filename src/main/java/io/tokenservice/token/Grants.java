package io.tokenservice.token;

import io.quarkus.arc.All;
import io.smallrye.mutiny.Uni;
import io.tokenservice.binding.Confirmation;
import io.tokenservice.client.ClientSnapshot;
import io.tokenservice.endpoint.FormBody;
import io.tokenservice.error.OAuthError;
import io.tokenservice.error.OAuthException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The grants the token endpoint has, by {@code grant_type}: the one owner of which grants exist (for the parser,
 * discovery and the admin API) and of whether a client may use one (registered in its {@code grant_types}, else
 * {@code unauthorized_client}, RFC 6749 §5.2).
 */
@ApplicationScoped
public class Grants {

    /** The grant every client is registered for unless its metadata says otherwise. */
    public static final String CLIENT_CREDENTIALS = ClientSnapshot.CLIENT_CREDENTIALS;

    private final Map<String, Grant<?>> byType = new LinkedHashMap<>();

    @Inject
    Grants(@All List<Grant<?>> grants) {
        for (Grant<?> grant : grants) {
            if (byType.put(grant.type(), grant) != null) {
                throw new IllegalStateException("Two grants of type " + grant.type());
            }
        }
    }

    /** Every grant_type there is, sorted: discovery's {@code grant_types_supported}. */
    public List<String> types() {
        return new ArrayList<>(new TreeSet<>(byType.keySet()));
    }

    /** Whether a client may be registered for this grant_type. */
    public boolean exists(String type) {
        return byType.containsKey(type);
    }

    /** Every form parameter some grant reads, and those that may recur. */
    Set<String> parameters(boolean repeatable) {
        Set<String> all = new TreeSet<>();
        byType.values().forEach(grant -> all.addAll(repeatable ? grant.repeatableParameters() : grant.parameters()));
        return all;
    }

    /**
     * The grant of this type with its parameters read from {@code form}.
     *
     * @throws OAuthException unsupported_grant_type for a type no grant has, or the grant's own for its parameters
     */
    Issuance prepare(String type, FormBody form) {
        Grant<?> grant = Optional.ofNullable(byType.get(type)).orElseThrow(() -> new OAuthException(
                OAuthError.UNSUPPORTED_GRANT_TYPE, "grant_type must be one of " + types()));
        return prepared(grant, form);
    }

    private static <P> Issuance prepared(Grant<P> grant, FormBody form) {
        P parameters = grant.parse(form);
        return (client, binding) -> grant.issue(client, parameters, binding);
    }

    /**
     * Refuses a client not registered for this grant_type.
     *
     * @throws OAuthException unauthorized_client (RFC 6749 §5.2)
     */
    void requireRegistered(ClientSnapshot client, String type) {
        if (!client.grantTypes().contains(type)) {
            throw new OAuthException(OAuthError.UNAUTHORIZED_CLIENT, "The client is not registered for this grant_type");
        }
    }

    /** A grant with its parameters read: it issues the token once its client is authenticated and its binding known. */
    @FunctionalInterface
    interface Issuance {
        Uni<AccessToken> issue(ClientSnapshot client, Confirmation binding);
    }
}
