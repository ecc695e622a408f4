package io.tokenservice.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenservice.error.OAuthException;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;

/** What every admin resource does with a request: read its JSON body, and stamp the changes it makes. */
public final class AdminRequests {

    private AdminRequests() {
    }

    /**
     * The body as JSON, or null when there is none; a 400 naming {@code body} when it is not JSON, or when a name or
     * a string in it holds U+0000, which no PostgreSQL text can store.
     */
    public static JsonNode json(ObjectMapper mapper, String body) {
        JsonNode document;
        try {
            document = body == null || body.isBlank() ? null : mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw OAuthException.invalidField("body", "The request body is not valid JSON");
        }
        if (document != null && holdsNul(document)) {
            throw OAuthException.invalidField("body", "The request body must not contain the character U+0000");
        }
        return document;
    }

    private static boolean holdsNul(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\u0000') >= 0;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().indexOf('\u0000') >= 0 || holdsNul(field.getValue())) {
                return true;
            }
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (holdsNul(element)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Now, at the database's precision, so a response shows what a later read returns. */
    public static OffsetDateTime now() {
        return OffsetDateTime.now().truncatedTo(ChronoUnit.MICROS);
    }
}
