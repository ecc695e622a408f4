package io.tokenservice.admin.clients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.tokenservice.admin.AdminAudit;
import io.tokenservice.admin.AdminRequests;
import io.tokenservice.admin.KeySetMetadata;
import io.tokenservice.client.ClientExistsException;
import io.tokenservice.client.ClientRegistrations;
import io.tokenservice.client.RegisteredClient;
import io.tokenservice.federation.admin.KeyOwners;
import io.tokenservice.token.ClientTokenLimits;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How a client is registered, changed and removed, whoever asks (the admin API, the clients file): within the
 * caller's transaction, with the checks of its keys, the token cut-off when a change takes authority away, and an
 * audit row naming {@code actor}. After the transaction commits, the caller tells the client directory.
 */
@ApplicationScoped
public class ClientChanges {

    /** A secret hash replacing the current one, which stays valid {@code previousValidForSeconds} (0: not at all). */
    public record NewSecret(String hash, long previousValidForSeconds) {
    }

    private final ClientMetadataParser parser;
    private final AdminAudit audit;
    private final ObjectMapper json;
    private final ClientTokenLimits limits;
    private final KeyOwners keyOwners;

    ClientChanges(ClientMetadataParser parser, AdminAudit audit, ObjectMapper json, ClientTokenLimits limits,
            KeyOwners keyOwners) {
        this.parser = parser;
        this.audit = audit;
        this.json = json;
        this.limits = limits;
        this.keyOwners = keyOwners;
    }

    /**
     * Stores {@code client} (its id set) with {@code secretHash} (null for a client without a secret) under a new
     * registration number, so that no token of an earlier client with its id, deleted since, is its.
     *
     * @param secretOrigin how the secret came (generated, imported, declared) for the audit
     * @throws ClientExistsException when the id is taken
     */
    public Uni<Void> register(RegisteredClient client, String secretHash, String secretOrigin, String actor) {
        return RegisteredClient.<RegisteredClient>findById(client.clientId)
                .flatMap(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().failure(new ClientExistsException());
                    }
                    return keyOwners.clientMayUse(client.jwksUri);
                })
                .flatMap(ignored -> {
                    client.secretHash = secretHash;
                    client.createdAt = client.updatedAt = AdminRequests.now();
                    // Tokens of an earlier client with this id, deleted since, are not this one's: they carry another
                    // registration, or (minted before registrations were numbered) were issued before this instant.
                    client.registration = ClientRegistrations.next();
                    client.tokensNotBefore = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
                    return client.persistAndFlush();
                })
                .call(() -> audit.recordAs(actor, "client.registered", client.clientId,
                        (secretHash == null ? "secret=none token_endpoint_auth_method=" + client.authMethod.value()
                                : "secret=" + secretOrigin) + " scope=" + String.join(" ", client.scopes)
                                + " audience=" + String.join(",", client.audience) + " enabled=" + client.enabled
                                + federatedCredentials(client)))
                .replaceWithVoid();
    }

    /**
     * Applies {@code patch} to a stored client, and {@code secret} when not null (the clients file changes both at
     * once; the admin API rotates secrets on their own, {@link #rotateSecret}). A change that takes authority away
     * retires every token issued before it.
     *
     * @throws io.tokenservice.error.OAuthException 400 when the client would be left without what its method needs
     */
    public Uni<Void> change(RegisteredClient client, ClientMetadataParser.Patch patch, NewSecret secret, String actor) {
        ClientView before = ClientView.of(client);
        String jwksUriBefore = client.jwksUri;
        OffsetDateTime now = AdminRequests.now();
        patch.applyTo(client);
        if (secret != null) {
            replaceSecret(client, secret, now);
        }
        parser.checkKeys(client, true);
        ClientView after = ClientView.of(client);
        boolean cutOff = takesAuthorityAway(before, after);
        if (cutOff) {
            cutOffTokens(client);
        }
        client.updatedAt = now;
        Uni<Void> owned = Objects.equals(jwksUriBefore, client.jwksUri) ? Uni.createFrom().voidItem()
                : keyOwners.clientMayUse(client.jwksUri);
        return owned.flatMap(ignored -> client.persistAndFlush()).call(() -> audit.recordAs(actor, "client.updated",
                        client.clientId, "changes=" + changes(before, after, patch.fields())
                                + (secret == null ? "" : " secret=replaced previous_secret_valid_for="
                                        + secret.previousValidForSeconds())
                                + (cutOff ? " tokens_revoked=true" : "")))
                .replaceWithVoid();
    }

    /** Replaces the secret of a client that has one; {@code revokeTokens} retires every token issued before. */
    public Uni<Void> rotateSecret(RegisteredClient client, NewSecret secret, boolean revokeTokens, String actor) {
        OffsetDateTime now = AdminRequests.now();
        replaceSecret(client, secret, now);
        if (revokeTokens) {
            cutOffTokens(client);
        }
        client.updatedAt = now;
        return client.persistAndFlush().call(() -> audit.recordAs(actor, "client.secret_rotated", client.clientId,
                "previous_secret_valid_for=" + secret.previousValidForSeconds() + " tokens_revoked=" + revokeTokens))
                .replaceWithVoid();
    }

    /** Retires every token the client was issued so far. */
    public Uni<Void> revokeTokens(RegisteredClient client, String actor) {
        cutOffTokens(client);
        client.updatedAt = AdminRequests.now();
        return client.persistAndFlush().call(() -> audit.recordAs(actor, "client.tokens_revoked", client.clientId,
                "tokens_min_version=" + client.tokensMinVersion)).replaceWithVoid();
    }

    public Uni<Void> delete(RegisteredClient client, String actor) {
        return client.delete().call(() -> audit.recordAs(actor, "client.deleted", client.clientId, ""));
    }

    /** At most two secrets: the new one, and the one it replaces while the grace window lasts. */
    private static void replaceSecret(RegisteredClient client, NewSecret secret, OffsetDateTime now) {
        boolean grace = secret.previousValidForSeconds() > 0 && client.secretHash != null;
        client.previousSecretHash = grace ? client.secretHash : null;
        client.previousSecretExpiresAt = grace ? now.plusSeconds(secret.previousValidForSeconds()) : null;
        client.secretHash = secret.hash();
    }

    /**
     * Retires every token minted from the client as it is until this change: the version this change writes
     * (Hibernate's optimistic lock increments it by one) becomes the oldest one honoured. A replica that mints
     * from a copy cached before the change mints tokens of the old version, dead too.
     */
    private static void cutOffTokens(RegisteredClient client) {
        client.tokensMinVersion = client.version + 1;
    }

    /**
     * Whether a change takes authority away: disabling the client, removing a scope or an audience its tokens may
     * carry (the service default counts for a client registered without one), a grant type or what it may
     * exchange, or removing a way it authenticated (a key of its jwks, its jwks_uri, a federated credential): after
     * a key's compromise, the tokens obtained with it die with it.
     */
    private boolean takesAuthorityAway(ClientView before, ClientView after) {
        List<String> scopesAfter = List.of(after.scope().split(" "));
        return (before.enabled() && !after.enabled())
                || !scopesAfter.containsAll(List.of(before.scope().split(" ")))
                || !limits.effectiveAudience(after.audience()).containsAll(limits.effectiveAudience(before.audience()))
                || !after.grantTypes().containsAll(before.grantTypes())
                || !after.tokenExchangeSubjectAudiences().containsAll(before.tokenExchangeSubjectAudiences())
                || !after.tokenExchangeTrustedIssuers().containsAll(before.tokenExchangeTrustedIssuers())
                || before.transactionTokens() && !after.transactionTokens()
                || credentialsRemoved(before, after);
    }

    private boolean credentialsRemoved(ClientView before, ClientView after) {
        if (before.jwksUri() != null && !before.jwksUri().equals(after.jwksUri())) {
            return true;
        }
        List<ClientView.Pair> pairsAfter = after.federatedCredentials() == null ? List.of() : after.federatedCredentials();
        if (before.federatedCredentials() != null && !pairsAfter.containsAll(before.federatedCredentials())) {
            return true;
        }
        return !KeySetMetadata.keys(json, after.jwks()).containsAll(KeySetMetadata.keys(json, before.jwks()));
    }

    /** The old and new value of each changed field, as the API shows them (never a secret or a hash). */
    private String changes(ClientView before, ClientView after, Set<String> fields) {
        JsonNode old = json.valueToTree(before);
        JsonNode now = json.valueToTree(after);
        ObjectNode changes = json.createObjectNode();
        for (String field : fields) {
            JsonNode from = old.path(field);
            JsonNode to = now.path(field);
            if (!from.equals(to)) {
                changes.putObject(field).set("old", from.isMissingNode() ? NullNode.getInstance() : from);
                ((ObjectNode) changes.get(field)).set("new", to.isMissingNode() ? NullNode.getInstance() : to);
            }
        }
        return changes.toString();
    }

    /** The audit's account of a federated client's (issuer, subject) pairs; nothing for other clients. */
    private static String federatedCredentials(RegisteredClient client) {
        return client.federatedCredentials.isEmpty() ? "" : " federated_credentials=" + client.federatedCredentials.stream()
                .map(pair -> pair.issuer + "#" + pair.subject).toList();
    }
}
