package io.tokenservice.client;

import java.time.Instant;
import java.util.List;

/**
 * An immutable copy of a registered client as the token endpoint needs it, safe to share between requests and
 * to keep in {@link ClientCache}.
 *
 * @param previousSecretHash the secret replaced by the last rotation, or null
 * @param accessTokenTtl seconds, or null for the service default
 */
public record ClientSnapshot(String clientId, String secretHash, String previousSecretHash,
        Instant previousSecretExpiresAt, List<String> scopes, List<String> audience, Integer accessTokenTtl,
        ClientAuthMethod authMethod, boolean enabled) {

    static ClientSnapshot of(RegisteredClient client) {
        return new ClientSnapshot(client.clientId, client.secretHash, client.previousSecretHash,
                client.previousSecretExpiresAt == null ? null : client.previousSecretExpiresAt.toInstant(),
                List.of(client.scopes), List.of(client.audience), client.accessTokenTtl, client.authMethod,
                client.enabled);
    }

    /** The previous secret's hash while its grace window lasts, else null. */
    public String previousSecretHashValidAt(Instant now) {
        return previousSecretHash != null && previousSecretExpiresAt != null && previousSecretExpiresAt.isAfter(now)
                ? previousSecretHash
                : null;
    }
}
