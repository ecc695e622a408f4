package io.tokenservice.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenservice.error.OAuthException;
import java.util.LinkedHashSet;
import java.util.Set;

/** The audiences a client's tokens carry, or a trusted issuer's tokens must name, as the admin API reads them. */
public final class Audiences {

    private static final int MAX_AUDIENCES = 20;
    private static final int MAX_AUDIENCE_LENGTH = 2000;

    private Audiences() {
    }

    /**
     * An array of at most {@value #MAX_AUDIENCES} distinct strings of 1 to {@value #MAX_AUDIENCE_LENGTH} characters;
     * otherwise a 400 naming {@code field}.
     */
    public static String[] parse(String field, JsonNode value) {
        if (!value.isArray() || value.size() > MAX_AUDIENCES) {
            throw OAuthException.invalidField(field, field + " must be an array of at most " + MAX_AUDIENCES + " strings");
        }
        Set<String> audience = new LinkedHashSet<>();
        for (JsonNode entry : value) {
            if (!entry.isTextual() || entry.textValue().isEmpty() || entry.textValue().length() > MAX_AUDIENCE_LENGTH) {
                throw OAuthException.invalidField(field, field + " must be a string of 1 to " + MAX_AUDIENCE_LENGTH
                        + " characters");
            }
            audience.add(entry.textValue());
        }
        return audience.toArray(String[]::new);
    }
}
