package io.tokenservice.client;

import java.util.List;

/**
 * The client_id and client_secret a request presents (RFC 6749 §2.3.1), and how it presented them.
 *
 * <p>RFC 6749 §2.3.1 form-urlencodes both parts before Basic encoding them; many clients, the seed's own sample
 * among them, send them raw. Where the two readings differ (a secret with {@code +}, {@code %} and the like) both
 * are candidates, the RFC's first, and the authenticator accepts either.
 *
 * @param candidates one or two (clientId, secret) readings, most likely first
 */
public record ClientCredentials(ClientAuthMethod method, List<Candidate> candidates) implements ClientAuthentication {

    public record Candidate(String clientId, String secret) {
    }

    /** The client_id the caller meant, for the log: the most likely reading's. */
    public String presentedClientId() {
        return candidates.get(0).clientId();
    }
}
