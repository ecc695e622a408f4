package io.tokenservice.client;

import java.time.Instant;
import java.util.List;

/**
 * An immutable copy of a registered client as the token endpoint needs it, safe to share between requests and
 * to keep in {@link ClientCache}.
 *
 * @param previousSecretHash the secret replaced by the last rotation, or null
 * @param accessTokenTtl seconds, or null for the service default
 * @param tokensNotBefore its tokens issued before this instant are no longer honoured; {@link Instant#EPOCH} for none
 */
public record ClientSnapshot(String clientId, String secretHash, String previousSecretHash,
        Instant previousSecretExpiresAt, List<String> scopes, List<String> audience, Integer accessTokenTtl,
        ClientAuthMethod authMethod, boolean enabled, Instant tokensNotBefore) {

    /** A client with no tokens-not-before. */
    public ClientSnapshot(String clientId, String secretHash, String previousSecretHash, Instant previousSecretExpiresAt,
            List<String> scopes, List<String> audience, Integer accessTokenTtl, ClientAuthMethod authMethod,
            boolean enabled) {
        this(clientId, secretHash, previousSecretHash, previousSecretExpiresAt, scopes, audience, accessTokenTtl,
                authMethod, enabled, Instant.EPOCH);
    }

    static ClientSnapshot of(RegisteredClient client) {
        return new ClientSnapshot(client.clientId, client.secretHash, client.previousSecretHash,
                client.previousSecretExpiresAt == null ? null : client.previousSecretExpiresAt.toInstant(),
                List.of(client.scopes), List.of(client.audience), client.accessTokenTtl, client.authMethod,
                client.enabled, client.tokensNotBefore == null ? Instant.EPOCH : client.tokensNotBefore.toInstant());
    }

    /**
     * Whether a token of this client issued at {@code issuedAt} is still honoured: the client is enabled and the
     * token is not older than its tokens-not-before.
     */
    public boolean honoursTokenIssuedAt(Instant issuedAt) {
        return enabled && !issuedAt.isBefore(tokensNotBefore);
    }

    /** The previous secret's hash while its grace window lasts, else null. */
    public String previousSecretHashValidAt(Instant now) {
        return previousSecretHash != null && previousSecretExpiresAt != null && previousSecretExpiresAt.isAfter(now)
                ? previousSecretHash
                : null;
    }
}
