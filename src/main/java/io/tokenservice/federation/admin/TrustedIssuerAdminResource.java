package io.tokenservice.federation.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.tokenservice.admin.AdminAudit;
import io.tokenservice.admin.AdminOnly;
import io.tokenservice.admin.AdminRequests;
import io.tokenservice.admin.KeySetMetadata;
import io.tokenservice.client.ClientDirectory;
import io.tokenservice.database.DatabaseCalls;
import io.tokenservice.federation.ConfiguredIssuerException;
import io.tokenservice.federation.IssuerPolicy;
import io.tokenservice.federation.TrustedIssuer;
import io.tokenservice.federation.TrustedIssuerNotFoundException;
import io.tokenservice.federation.TrustedIssuers;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * {@code /admin/trusted-issuers}: the issuers whose tokens authenticate federated_jwt clients (Kubernetes service
 * account issuers, SPIRE), beside those configuration lists (shown with {@code "source":"config"}, read-only here).
 * Every change is audited and reaches every replica at once (PostgreSQL notification) or within
 * {@code token-service.federation.refresh-interval}.
 */
@Path("/admin/trusted-issuers")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Trusted issuers")
@SecurityRequirement(name = "admin-bearer")
public class TrustedIssuerAdminResource {

    private final TrustedIssuerMetadata parser;
    private final TrustedIssuers trustedIssuers;
    private final AdminAudit audit;
    private final ObjectMapper json;
    private final DatabaseCalls database;
    private final ClientDirectory directory;
    private final KeyOwners keyOwners;

    TrustedIssuerAdminResource(TrustedIssuerMetadata parser, TrustedIssuers trustedIssuers, AdminAudit audit,
            ObjectMapper json, DatabaseCalls database, ClientDirectory directory, KeyOwners keyOwners) {
        this.keyOwners = keyOwners;
        this.directory = directory;
        this.parser = parser;
        this.trustedIssuers = trustedIssuers;
        this.audit = audit;
        this.json = json;
        this.database = database;
    }

    @POST
    @Operation(summary = "Trust an issuer: its tokens authenticate the federated_jwt clients registered for their subjects")
    public Uni<RestResponse<TrustedIssuerView>> add(String body) {
        TrustedIssuer issuer = parser.registration(AdminRequests.json(json, body));
        if (trustedIssuers.configured(issuer.name).isPresent() || trustedIssuers.configured(issuer.issuer).isPresent()) {
            throw new ConfiguredIssuerException();
        }
        issuer.createdAt = issuer.updatedAt = AdminRequests.now();
        return Panache.withTransaction(() -> keyOwners.issuerMayUse(issuer).flatMap(ignored -> issuer.persistAndFlush())
                        .call(() -> audit.record("trusted_issuer.added", null, describe(issuer))))
                .plug(database::bounded)
                .call(this::reloaded)
                .map(ignored -> RestResponse.ResponseBuilder
                        .<TrustedIssuerView>created(UriBuilder.fromPath("/admin/trusted-issuers/{name}").build(issuer.name))
                        .entity(TrustedIssuerView.of(issuer))
                        .build());
    }

    @GET
    @Operation(summary = "Every trusted issuer, configured and stored, ordered by name")
    public Uni<Map<String, List<TrustedIssuerView>>> list() {
        return Panache.withSession(() -> TrustedIssuer.<TrustedIssuer>listAll()).plug(database::bounded).map(stored -> {
            List<TrustedIssuerView> views = new ArrayList<>(stored.stream().map(TrustedIssuerView::of).toList());
            trustedIssuers.all().stream().filter(policy -> IssuerPolicy.CONFIG.equals(policy.source()))
                    .map(TrustedIssuerView::of).forEach(views::add);
            views.sort(Comparator.comparing(TrustedIssuerView::name));
            return Map.of("trusted_issuers", views);
        });
    }

    @GET
    @Path("{name}")
    @Operation(summary = "One trusted issuer")
    public Uni<TrustedIssuerView> get(@RestPath String name) {
        var configured = trustedIssuers.configured(name).filter(policy -> policy.name().equals(name));
        if (configured.isPresent()) {
            return Uni.createFrom().item(TrustedIssuerView.of(configured.get()));
        }
        return Panache.withSession(() -> existing(name)).plug(database::bounded).map(TrustedIssuerView::of);
    }

    @PATCH
    @Path("{name}")
    @Operation(summary = "Change a stored trusted issuer with a JSON merge patch (RFC 7396); name and issuer are fixed. "
            + "Removing a key (or changing where keys come from) retires the tokens of its federated clients")
    public Uni<TrustedIssuerView> patch(@RestPath String name, String body) {
        refuseConfigured(name);
        List<Consumer<TrustedIssuer>> changes = parser.patch(AdminRequests.json(json, body));
        List<String> cutOff = new ArrayList<>();
        return Panache.withTransaction(() -> existing(name).call(issuer -> {
                    String before = describe(issuer);
                    String jwksBefore = issuer.jwks;
                    String jwksUriBefore = issuer.jwksUri;
                    changes.forEach(change -> change.accept(issuer));
                    parser.check(issuer);
                    issuer.updatedAt = AdminRequests.now();
                    boolean keysRemoved = !Objects.equals(jwksUriBefore, issuer.jwksUri)
                            || (jwksBefore == null) != (issuer.jwks == null)
                            || !KeySetMetadata.keys(json, issuer.jwks).containsAll(KeySetMetadata.keys(json, jwksBefore));
                    return keyOwners.issuerMayUse(issuer).flatMap(ignored -> issuer.persistAndFlush())
                            .call(() -> keysRemoved ? cutOffClientsOf(issuer, cutOff) : Uni.createFrom().voidItem())
                            .call(() -> audit.record("trusted_issuer.updated", null, "before={" + before + "} after={"
                                    + describe(issuer) + "}" + (keysRemoved ? " tokens_revoked_clients=" + cutOff.size() : "")));
                }))
                .plug(database::bounded)
                .invoke(() -> cutOff.forEach(directory::changed))
                .call(this::reloaded)
                .map(TrustedIssuerView::of);
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Stop trusting a stored issuer: its tokens authenticate no client from now on, and the tokens "
            + "its federated clients were issued are retired")
    public Uni<RestResponse<Void>> delete(@RestPath String name) {
        refuseConfigured(name);
        List<String> cutOff = new ArrayList<>();
        return Panache.withTransaction(() -> existing(name)
                        .call(issuer -> issuer.delete()
                                .call(() -> cutOffClientsOf(issuer, cutOff))
                                .call(() -> audit.record("trusted_issuer.removed", null, describe(issuer)
                                        + " tokens_revoked_clients=" + cutOff.size()))))
                .plug(database::bounded)
                .invoke(() -> cutOff.forEach(directory::changed))
                .call(this::reloaded)
                .map(ignored -> RestResponse.<Void>noContent());
    }

    /**
     * Retires the tokens issued so far to every client with a federated credential of {@code issuer} (the version
     * each row now has becomes the oldest honoured, as a client's own cut-off does), auditing each; their ids go to
     * {@code cutOff}. Their tokens were obtained with the issuer's keys, which are no longer trusted.
     */
    private Uni<Void> cutOffClientsOf(TrustedIssuer issuer, List<String> cutOff) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery("""
                        UPDATE token_service.client
                        SET tokens_min_version = version + 1, version = version + 1, updated_at = now()
                        WHERE client_id IN (SELECT client_id FROM token_service.federated_credential WHERE issuer = :issuer)
                        RETURNING client_id
                        """, String.class).setParameter("issuer", issuer.issuer).getResultList())
                .invoke(cutOff::addAll)
                .call(ids -> {
                    Uni<Void> audited = Uni.createFrom().voidItem();
                    for (String clientId : ids) {
                        audited = audited.call(() -> audit.record("client.tokens_revoked", clientId,
                                "trusted_issuer=" + issuer.name + " keys_no_longer_trusted=true"));
                    }
                    return audited;
                })
                .replaceWithVoid();
    }

    /** This replica sees the change at once; the others when PostgreSQL's notification arrives. */
    private Uni<Void> reloaded() {
        return trustedIssuers.reload().onFailure().recoverWithNull();
    }

    private void refuseConfigured(String name) {
        if (trustedIssuers.configured(name).filter(policy -> policy.name().equals(name)).isPresent()) {
            throw new ConfiguredIssuerException();
        }
    }

    /** The audit's account of an issuer: what it trusts, never more than the API shows. */
    private static String describe(TrustedIssuer issuer) {
        return "name=" + issuer.name + " issuer=" + issuer.issuer
                + " keys=" + (issuer.jwks != null ? "inline" : issuer.jwksUri != null ? issuer.jwksUri : "discovery")
                + " audiences=" + String.join(",", issuer.audiences) + " max_token_age=" + issuer.maxTokenAge
                + " allow_reuse=" + issuer.allowReuse;
    }

    private static Uni<TrustedIssuer> existing(String name) {
        if (!TrustedIssuerMetadata.isName(name)) {
            // No issuer can have this name (nor could PostgreSQL read a U+0000 in it): no lookup.
            return Uni.createFrom().failure(new TrustedIssuerNotFoundException());
        }
        return TrustedIssuer.<TrustedIssuer>findById(name).onItem().ifNull().failWith(TrustedIssuerNotFoundException::new);
    }
}
