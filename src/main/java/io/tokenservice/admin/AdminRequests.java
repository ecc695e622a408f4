package io.tokenservice.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenservice.error.OAuthException;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;

/** What every admin resource does with a request: read its JSON body, and stamp the changes it makes. */
final class AdminRequests {

    private AdminRequests() {
    }

    /** The body as JSON, or null when there is none; a 400 naming {@code body} when it is not JSON. */
    static JsonNode json(ObjectMapper mapper, String body) {
        try {
            return body == null || body.isBlank() ? null : mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw OAuthException.invalidField("body", "The request body is not valid JSON");
        }
    }

    /** Now, at the database's precision, so a response shows what a later read returns. */
    static OffsetDateTime now() {
        return OffsetDateTime.now().truncatedTo(ChronoUnit.MICROS);
    }
}
