package io.tokenservice.admin.clients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.tokenservice.admin.AdminCaller;
import io.tokenservice.admin.AdminOnly;
import io.tokenservice.admin.AdminRequests;
import io.tokenservice.admin.GeneratedSecret;
import io.tokenservice.client.ClientDirectory;
import io.tokenservice.client.ClientIds;
import io.tokenservice.client.ClientNotFoundException;
import io.tokenservice.client.DeclaredClientException;
import io.tokenservice.client.RegisteredClient;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.database.DatabaseCalls;
import io.tokenservice.error.OAuthException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriBuilder;
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

    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 200;

    private final ClientMetadataParser parser;
    private final ClientChanges changes;
    private final SecretHasher hasher;
    private final AdminCaller caller;
    private final ObjectMapper json;
    private final DatabaseCalls database;
    private final ClientDirectory directory;

    ClientAdminResource(ClientMetadataParser parser, ClientChanges changes, SecretHasher hasher, AdminCaller caller,
            ObjectMapper json, DatabaseCalls database, ClientDirectory directory) {
        this.parser = parser;
        this.changes = changes;
        this.hasher = hasher;
        this.caller = caller;
        this.json = json;
        this.database = database;
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
        return hash.flatMap(secretHash -> Panache.withTransaction(() -> changes.register(client, secretHash,
                        imported ? "imported" : "generated", caller.subject())).plug(database::bounded))
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
    @Operation(summary = "Change metadata with a JSON merge patch (RFC 7396); secrets are rotated separately. "
            + "409 for a client the clients file declares")
    public Uni<ClientView> patch(@RestPath String clientId, String body) {
        ClientMetadataParser.Patch patch = parser.patch(AdminRequests.json(json, body));
        return Panache.withTransaction(() -> undeclared(clientId).call(client -> patch.fields().isEmpty()
                        ? Uni.createFrom().voidItem() : changes.change(client, patch, null, caller.subject())))
                .plug(database::bounded)
                // This replica drops its copy now; the others when PostgreSQL's notification arrives.
                .invoke(() -> directory.changed(clientId))
                .map(ClientView::of);
    }

    @POST
    @Path("{clientId}/secret")
    @Operation(summary = "Rotate the secret; the response shows the new one once. "
            + "Body {\"previous_secret_valid_for\": seconds} keeps the old secret valid that long (default 0); "
            + "\"revoke_tokens\": true also retires every token issued before. 409 for a client the clients file declares")
    public Uni<ClientView> rotateSecret(@RestPath String clientId, String body) {
        Rotation rotation = rotation(body);
        String secret = GeneratedSecret.next();
        return hasher.hash(secret)
                .flatMap(hash -> Panache.withTransaction(() -> undeclared(clientId).call(client -> {
                    if (!client.authMethod.usesSecret()) {
                        throw OAuthException.invalidField("token_endpoint_auth_method", "This client authenticates with "
                                + client.authMethod.value() + " and has no secret to rotate");
                    }
                    return changes.rotateSecret(client, new ClientChanges.NewSecret(hash, rotation.graceSeconds()),
                            rotation.revokeTokens(), caller.subject());
                })).plug(database::bounded))
                // This replica drops its copy now; the others when PostgreSQL's notification arrives.
                .invoke(() -> directory.changed(clientId))
                .map(client -> ClientView.of(client, secret));
    }

    /** Allowed for a declared client too: retiring tokens changes nothing the file declares, and cannot wait for a merge. */
    @POST
    @Path("{clientId}/revoke-tokens")
    @Operation(summary = "Retire every token the client was issued so far, at introspection and the admin API")
    public Uni<RestResponse<Void>> revokeTokens(@RestPath String clientId) {
        return Panache.withTransaction(() -> existing(clientId).call(client -> changes.revokeTokens(client, caller.subject())))
                .plug(database::bounded)
                // This replica drops its copy now; the others when PostgreSQL's notification arrives.
                .invoke(() -> directory.changed(clientId))
                .map(ignored -> RestResponse.<Void>noContent());
    }

    @DELETE
    @Path("{clientId}")
    @Operation(summary = "Remove a client; it can no longer get tokens. 409 for a client the clients file declares")
    public Uni<RestResponse<Void>> delete(@RestPath String clientId) {
        return Panache.withTransaction(() -> undeclared(clientId).call(client -> changes.delete(client, caller.subject())))
                .plug(database::bounded)
                // This replica drops its copy now; the others when PostgreSQL's notification arrives.
                .invoke(() -> directory.changed(clientId))
                .map(ignored -> RestResponse.<Void>noContent());
    }

    /** A stored client the admin API may change: not one the clients file declares. */
    private static Uni<RegisteredClient> undeclared(String clientId) {
        return existing(clientId).invoke(client -> {
            if (client.declared()) {
                throw new DeclaredClientException();
            }
        });
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
        long graceSeconds = ClientMetadataParser.previousSecretValidFor(document.get("previous_secret_valid_for"));
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
