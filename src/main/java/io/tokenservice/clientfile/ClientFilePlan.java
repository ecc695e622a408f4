package io.tokenservice.clientfile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tokenservice.admin.clients.ClientView;
import io.tokenservice.client.ClientAuthMethod;
import io.tokenservice.client.RegisteredClient;
import io.tokenservice.clientfile.ClientFile.DeclaredClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What applying a clients file would change, stored client by stored client: a declared client not stored is created;
 * one stored differently is changed (with a merge patch of the fields that differ, each reset to its default when the
 * file leaves it out, and its secret hash when the file names another); one the admin API registered is taken over
 * (adopted) and changed likewise when its entry says {@code adopt: true}, and is a conflict otherwise; a client the
 * file declared before and no longer does is removed. Pure: the caller reads what is stored and applies the result.
 */
public final class ClientFilePlan {

    /** The changes, or the conflicts that keep the file from being applied at all. */
    public record Plan(List<Change> changes, List<String> conflicts) {
    }

    /** What happens to one client. */
    public enum Kind {
        CREATE("+", "create"), CHANGE("~", "change"), ADOPT("~", "adopt"), REMOVE("-", "remove");

        final String sign;
        final String verb;

        Kind(String sign, String verb) {
            this.sign = sign;
            this.verb = verb;
        }
    }

    /**
     * One client's change: for {@code CHANGE} and {@code ADOPT} the merge patch of the fields that differ, and whether
     * its secret hash is replaced; the declared client (null for {@code REMOVE}) and the stored one (null for
     * {@code CREATE}).
     */
    public record Change(Kind kind, String clientId, ObjectNode patch, boolean secretReplaced, DeclaredClient declared,
            RegisteredClient stored) {

        /** One line for a person: {@code ~ change orders: scope, audience; secret replaced}. */
        public String describe() {
            List<String> what = new ArrayList<>();
            if (patch != null && !patch.isEmpty()) {
                what.add(String.join(", ", (Iterable<String>) patch::fieldNames));
            }
            if (secretReplaced) {
                what.add("secret replaced");
            }
            return kind.sign + " " + kind.verb + " " + clientId + (what.isEmpty() ? "" : ": " + String.join("; ", what));
        }
    }

    // What the admin API shows but no one declares.
    private static final Set<String> NOT_DECLARED = Set.of("client_id", "client_secret", "created_at", "updated_at",
            "previous_secret_expires_at", "source");
    // Fields that cannot be reset with null: their defaults, as a registration without them has.
    private static final Map<String, JsonNode> DEFAULTS = Map.of(
            "enabled", BooleanNode.TRUE,
            "token_endpoint_auth_method", TextNode.valueOf(ClientAuthMethod.CLIENT_SECRET_BASIC.value()));

    private ClientFilePlan() {
    }

    /**
     * The changes that make {@code stored} (the clients the file declared before, and the stored clients of the ids it
     * declares now) what {@code declaration} says, removals first, then in client_id order.
     */
    public static Plan between(ClientFile.Declaration declaration, List<RegisteredClient> stored, ObjectMapper json) {
        Map<String, DeclaredClient> declared = ClientFile.byId(declaration);
        List<Change> changes = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (RegisteredClient client : stored.stream().sorted(Comparator.comparing(c -> c.clientId)).toList()) {
            seen.add(client.clientId);
            DeclaredClient wanted = declared.get(client.clientId);
            if (wanted == null) {
                if (client.declared()) {
                    changes.add(new Change(Kind.REMOVE, client.clientId, null, false, null, client));
                }
                continue;
            }
            ObjectNode patch = patch(view(json, client), view(json, wanted.client()), wanted.metadata());
            boolean secretReplaced = wanted.secretHash() != null && !wanted.secretHash().equals(client.secretHash);
            if (!client.declared() && !wanted.adopt()) {
                conflicts.add(client.clientId + ": the admin API registered a client with this id; delete it there, or "
                        + "set adopt: true to take it over (the file's secret hash then replaces its secret)");
            } else if (!client.declared()) {
                changes.add(new Change(Kind.ADOPT, client.clientId, patch, secretReplaced, wanted, client));
            } else if (!patch.isEmpty() || secretReplaced) {
                changes.add(new Change(Kind.CHANGE, client.clientId, patch, secretReplaced, wanted, client));
            }
        }
        declared.values().stream().filter(client -> !seen.contains(client.clientId()))
                .sorted(Comparator.comparing(DeclaredClient::clientId))
                .forEach(client -> changes.add(new Change(Kind.CREATE, client.clientId(), null, false, client, null)));
        changes.sort(Comparator.comparing((Change change) -> change.kind() != Kind.REMOVE));
        return new Plan(List.copyOf(changes), List.copyOf(conflicts));
    }

    /**
     * The merge patch from what the API shows of the stored client to what it would show of the declared one: the
     * file's own value of each field that differs, or the field's reset when the file leaves it out.
     */
    private static ObjectNode patch(ObjectNode stored, ObjectNode wanted, JsonNode metadata) {
        ObjectNode patch = stored.objectNode();
        Set<String> fields = new LinkedHashSet<>();
        stored.fieldNames().forEachRemaining(fields::add);
        wanted.fieldNames().forEachRemaining(fields::add);
        for (String field : fields) {
            if (NOT_DECLARED.contains(field) || stored.path(field).equals(wanted.path(field))) {
                continue;
            }
            JsonNode value = metadata.get(field);
            patch.set(field, value != null && !value.isNull() ? value : DEFAULTS.getOrDefault(field, NullNode.getInstance()));
        }
        return patch;
    }

    private static ObjectNode view(ObjectMapper json, RegisteredClient client) {
        try {
            // Through text: the view's jwks is raw JSON, compared as the document it is.
            ObjectNode view = (ObjectNode) json.readTree(json.writeValueAsString(ClientView.of(client)));
            // A set of pairs, however stored or written.
            JsonNode pairs = view.get("federated_credentials");
            if (pairs != null && pairs.isArray()) {
                List<JsonNode> sorted = new ArrayList<>();
                pairs.forEach(sorted::add);
                sorted.sort(Comparator.comparing(JsonNode::toString));
                view.putArray("federated_credentials").addAll(sorted);
            }
            return view;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
