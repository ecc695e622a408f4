package io.tokenservice.admin.clients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.tokenservice.admin.AdminAudit;
import io.tokenservice.admin.AdminOnly;
import io.tokenservice.admin.AdminRequests;
import io.tokenservice.admin.GeneratedSecret;
import io.tokenservice.admin.KeySetMetadata;
import io.tokenservice.client.ClientDirectory;
import io.tokenservice.client.ClientExistsException;
import io.tokenservice.client.ClientIds;
import io.tokenservice.client.ClientNotFoundException;
import io.tokenservice.client.ClientRegistrations;
import io.tokenservice.client.RegisteredClient;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.database.DatabaseCalls;
import io.tokenservice.error.OAuthException;
import io.tokenservice.federation.admin.KeyOwners;
import io.tokenservice.token.ClientTokenLimits;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriBuilder;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * {@code /admin/clients}: register, inspect, change, rotate and remove clients, with bearer tokens of this service
 * that carry scope {@code admin}. Bodies are JSON in RFC 7591 metadata names; every change is audited; a
 * concurrent change is a 409, never a lost update.
 */
@Path("/admin/clients")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Client administration")
@SecurityScheme(securitySchemeName = "admin-bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        bearerFormat = "JWT", description = "An access token of this service with scope admin")
@SecurityRequirement(name = "admin-bearer")
public class ClientAdminResource {

    static final long MAX_GRACE_SECONDS = 30L * 24 * 3600;
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 200;

    private final ClientMetadataParser parser;
    private final SecretHasher hasher;
    private final AdminAudit audit;
    private final ObjectMapper json;
    private final DatabaseCalls database;
    private final ClientTokenLimits limits;
    private final ClientDirectory directory;
    private final KeyOwners keyOwners;

    ClientAdminResource(ClientMetadataParser parser, SecretHasher hasher, AdminAudit audit, ObjectMapper json,
            DatabaseCalls database, ClientTokenLimits limits, ClientDirectory directory, KeyOwners keyOwners) {
        this.keyOwners = keyOwners;
        this.parser = parser;
        this.hasher = hasher;
        this.audit = audit;
        this.json = json;
        this.database = database;
        this.limits = limits;
        this.directory = directory;
    }

    @POST
    @Operation(summary = "Register a client; the response shows a generated client_secret once")
    public Uni<RestResponse<ClientView>> register(String body) {
        ClientMetadataParser.Registration registration = parser.registration(AdminRequests.json(json, body));
        RegisteredClient client = registration.client();
        boolean imported = registration.importedSecret().isPresent() || registration.importedHash().isPresent();
        boolean secretless = !client.authMethod.usesSecret();
        String generated = imported || secretless ? null : GeneratedSecret.next();
        Uni<String> hash = secretless ? Uni.createFrom().nullItem()
                : registration.importedHash().map(h -> Uni.createFrom().item(h))
                        .orElseGet(() -> hasher.hash(registration.importedSecret().orElse(generated)));
        if (client.clientId == null) {
            client.clientId = UUID.randomUUID().toString();
        }
        return hash.flatMap(secretHash -> Panache.withTransaction(() -> RegisteredClient.<RegisteredClient>findById(client.clientId)
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
                .call(() -> audit.record("client.registered", client.clientId,
                        (secretless ? "secret=none token_endpoint_auth_method=" + client.authMethod.value()
                                : imported ? "secret=imported" : "secret=generated") + " scope=" + String.join(" ", client.scopes)
                                + " audience=" + String.join(",", client.audience) + " enabled=" + client.enabled
                                + federatedCredentials(client)))).plug(database::bounded))
                // This replica forgets the id as unknown now; the others when PostgreSQL's notification arrives.
                .invoke(() -> directory.created(client.clientId))
                .map(ignored -> RestResponse.ResponseBuilder
                        .<ClientView>created(UriBuilder.fromPath("/admin/clients/{id}").build(client.clientId))
                        .entity(ClientView.of(client, generated))
                        .build());
    }

    @GET
    @Operation(summary = "A page of clients ordered by client_id, with the total count")
    public Uni<ClientPage> list(@RestQuery String offset, @RestQuery String limit) {
        int first = queryInt("offset", offset, 0, 0, Integer.MAX_VALUE - MAX_LIMIT);
        int size = queryInt("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
        return Panache.withSession(() -> RegisteredClient.<RegisteredClient>find("order by clientId")
                        .range(first, first + size - 1).list()
                        .flatMap(page -> RegisteredClient.count().map(total ->
                                new ClientPage(page.stream().map(ClientView::of).toList(), first, size, total))))
                .plug(database::bounded);
    }

    @GET
    @Path("{clientId}")
    @Operation(summary = "One client's metadata (never its secret)")
    public Uni<ClientView> get(@RestPath String clientId) {
        return Panache.withSession(() -> existing(clientId)).plug(database::bounded).map(ClientView::of);
    }

    @PATCH
    @Path("{clientId}")
    @Operation(summary = "Change metadata with a JSON merge patch (RFC 7396); secrets are rotated separately")
    public Uni<ClientView> patch(@RestPath String clientId, String body) {
        ClientMetadataParser.Patch patch = parser.patch(AdminRequests.json(json, body));
        return Panache.withTransaction(() -> existing(clientId).call(client -> {
                    if (patch.fields().isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    ClientView before = ClientView.of(client);
                    String jwksUriBefore = client.jwksUri;
                    patch.applyTo(client);
                    parser.checkKeys(client, true);
                    ClientView after = ClientView.of(client);
                    boolean cutOff = takesAuthorityAway(before, after);
                    if (cutOff) {
                        cutOffTokens(client);
                    }
                    client.updatedAt = AdminRequests.now();
                    Uni<Void> owned = java.util.Objects.equals(jwksUriBefore, client.jwksUri) ? Uni.createFrom().voidItem()
                            : keyOwners.clientMayUse(client.jwksUri);
                    return owned.flatMap(ignored -> client.persistAndFlush()).call(() -> audit.record("client.updated", clientId,
                            "changes=" + changes(before, after, patch.fields()) + (cutOff ? " tokens_revoked=true" : "")));
                }))
                .plug(database::bounded)
                // This replica drops its copy now; the others when PostgreSQL's notification arrives.
                .invoke(() -> directory.changed(clientId))
                .map(ClientView::of);
    }

    @POST
    @Path("{clientId}/secret")
    @Operation(summary = "Rotate the secret; the response shows the new one once. "
            + "Body {\"previous_secret_valid_for\": seconds} keeps the old secret valid that long (default 0); "
            + "\"revoke_tokens\": true also retires every token issued before")
    public Uni<ClientView> rotateSecret(@RestPath String clientId, String body) {
        Rotation rotation = rotation(body);
        long graceSeconds = rotation.graceSeconds();
        String secret = GeneratedSecret.next();
        return hasher.hash(secret)
                .flatMap(hash -> Panache.withTransaction(() -> existing(clientId).call(client -> {
                    if (!client.authMethod.usesSecret()) {
                        throw OAuthException.invalidField("token_endpoint_auth_method", "This client authenticates with "
                                + client.authMethod.value() + " and has no secret to rotate");
                    }
                    OffsetDateTime now = AdminRequests.now();
                    // At most two secrets: the new one, and the one it replaces while the grace window lasts.
                    client.previousSecretHash = graceSeconds > 0 ? client.secretHash : null;
                    client.previousSecretExpiresAt = graceSeconds > 0 ? now.plusSeconds(graceSeconds) : null;
                    client.secretHash = hash;
                    if (rotation.revokeTokens()) {
                        cutOffTokens(client);
                    }
                    client.updatedAt = now;
                    return client.persistAndFlush().call(() -> audit.record("client.secret_rotated", clientId,
                            "previous_secret_valid_for=" + graceSeconds + " tokens_revoked=" + rotation.revokeTokens()));
                })).plug(database::bounded))
                // This replica drops its copy now; the others when PostgreSQL's notification arrives.
                .invoke(() -> directory.changed(clientId))
                .map(client -> ClientView.of(client, secret));
    }

    @POST
    @Path("{clientId}/revoke-tokens")
    @Operation(summary = "Retire every token the client was issued so far, at introspection and the admin API")
    public Uni<RestResponse<Void>> revokeTokens(@RestPath String clientId) {
        return Panache.withTransaction(() -> existing(clientId).call(client -> {
                    cutOffTokens(client);
                    client.updatedAt = AdminRequests.now();
                    return client.persistAndFlush().call(() -> audit.record("client.tokens_revoked", clientId,
                            "tokens_min_version=" + client.tokensMinVersion));
                }))
                .plug(database::bounded)
                // This replica drops its copy now; the others when PostgreSQL's notification arrives.
                .invoke(() -> directory.changed(clientId))
                .map(ignored -> RestResponse.<Void>noContent());
    }

    @DELETE
    @Path("{clientId}")
    @Operation(summary = "Remove a client; it can no longer get tokens")
    public Uni<RestResponse<Void>> delete(@RestPath String clientId) {
        return Panache.withTransaction(() -> existing(clientId)
                        .call(client -> client.delete())
                        .call(() -> audit.record("client.deleted", clientId, "")))
                .plug(database::bounded)
                // This replica drops its copy now; the others when PostgreSQL's notification arrives.
                .invoke(() -> directory.changed(clientId))
                .map(ignored -> RestResponse.<Void>noContent());
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
     * carry (the service default counts for a client registered without one), a grant type or what it may exchange, or removing a way it authenticated
     * (a key of its jwks, its jwks_uri, a federated credential): after a key's compromise, the tokens obtained with
     * it die with it.
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

    private static Uni<RegisteredClient> existing(String clientId) {
        if (!ClientIds.isValid(clientId)) {
            // No client can have this id (nor could PostgreSQL read a U+0000 in it): no lookup.
            return Uni.createFrom().failure(new ClientNotFoundException());
        }
        return RegisteredClient.<RegisteredClient>findById(clientId).onItem().ifNull()
                .failWith(ClientNotFoundException::new);
    }


    /** A secret rotation's options: how long the old secret stays valid, and whether older tokens die. */
    private record Rotation(long graceSeconds, boolean revokeTokens) {
    }

    private Rotation rotation(String body) {
        JsonNode document = AdminRequests.json(json, body);
        if (document == null) {
            return new Rotation(0, false);
        }
        if (!document.isObject()) {
            throw OAuthException.invalidField("body", "The request body must be a JSON object");
        }
        document.fieldNames().forEachRemaining(field -> {
            if (!field.equals("previous_secret_valid_for") && !field.equals("revoke_tokens")) {
                throw OAuthException.invalidField(field, "Unknown field " + field);
            }
        });
        JsonNode revoke = document.path("revoke_tokens");
        if (!revoke.isMissingNode() && !revoke.isNull() && !revoke.isBoolean()) {
            throw OAuthException.invalidField("revoke_tokens", "revoke_tokens must be true or false");
        }
        JsonNode grace = document.get("previous_secret_valid_for");
        long graceSeconds = 0;
        if (grace != null && !grace.isNull()) {
            if (!grace.isIntegralNumber() || grace.longValue() < 0 || grace.longValue() > MAX_GRACE_SECONDS) {
                throw OAuthException.invalidField("previous_secret_valid_for",
                        "previous_secret_valid_for must be whole seconds from 0 to " + MAX_GRACE_SECONDS);
            }
            graceSeconds = grace.longValue();
        }
        if (revoke.asBoolean(false) && graceSeconds > 0) {
            // The old secret, perhaps the leaked one, could mint new tokens through the whole grace window.
            throw OAuthException.invalidField("revoke_tokens", "revoke_tokens cannot keep the previous secret valid");
        }
        return new Rotation(graceSeconds, revoke.asBoolean(false));
    }

    private static int queryInt(String name, String value, int defaultValue, int min, int max) {
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw OAuthException.invalidField(name, name + " must be a whole number from " + min + " to " + max);
    }
}
