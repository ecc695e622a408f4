package io.tokenservice.admin;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.tokenservice.database.DatabaseCalls;
import io.tokenservice.key.SigningKey;
import io.tokenservice.key.SigningKeys;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * {@code /admin/keys}: the signing keys this replica publishes, rotation on demand, and emergency retirement. A rotation stores a new
 * key that is published at once and signs from publish-ahead on; the previous key stays published until every
 * token it signed has expired.
 */
@Path("/admin/keys")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Signing keys")
@SecurityRequirement(name = "admin-bearer")
public class KeyAdminResource {

    private final SigningKeys keys;
    private final AdminAudit audit;
    private final DatabaseCalls database;

    KeyAdminResource(SigningKeys keys, AdminAudit audit, DatabaseCalls database) {
        this.keys = keys;
        this.audit = audit;
        this.database = database;
    }

    @GET
    @Operation(summary = "The published signing keys: pending, active and retiring")
    public Map<String, Object> list() {
        if (!keys.scheduled()) {
            // An operator's PEM key has no schedule: it signs for as long as the files say so.
            SigningKey key = keys.active();
            return Map.of("source", "pem-files", "keys", List.of(new KeyView(key.kid(), key.algorithm().name(), null, "active")));
        }
        SigningKey active = keys.active();
        List<KeyView> views = keys.published().stream().map(key -> KeyView.of(key,
                key.key().equals(active) ? "active"
                        : key.activatesAt().isAfter(Instant.now()) ? "pending" : "retiring")).toList();
        return Map.of("source", "database", "keys", views);
    }

    @POST
    @Path("rotate")
    @Operation(summary = "Store a new signing key; it signs once publish-ahead has passed (409 while one is pending)")
    public Uni<RestResponse<KeyView>> rotate() {
        return keys.rotate()
                .call(key -> Panache.withTransaction(() -> audit.record("key.rotated", null,
                        "kid=" + key.key().kid() + " alg=" + key.key().algorithm() + " activates_at=" + key.activatesAt()))
                        .plug(database::bounded))
                .map(key -> RestResponse.ResponseBuilder.create(RestResponse.Status.ACCEPTED, KeyView.of(key, "pending")).build());
    }

    @POST
    @Path("{kid}/retire")
    @Operation(summary = "Retire a key at once (a compromised key): it leaves the JWKS and stops signing on every "
            + "replica within moments (PostgreSQL notification), and its tokens are no longer honoured; a signing key is replaced "
            + "by a new one at once")
    public Uni<Map<String, Object>> retire(@RestPath String kid) {
        return keys.retire(kid)
                .call(next -> Panache.withTransaction(() -> audit.record("key.retired", null,
                        "kid=" + kid + (next == null ? "" : " replaced_by=" + next.key().kid())))
                        .plug(database::bounded))
                .map(next -> {
                    Map<String, Object> answer = new java.util.LinkedHashMap<>();
                    answer.put("retired", kid);
                    answer.put("signing", keys.active().kid());
                    return answer;
                });
    }
}
