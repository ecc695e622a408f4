package io.tokenservice.endpoint;

import io.tokenservice.error.OAuthException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The decoded parameters of an {@code application/x-www-form-urlencoded} body, as the token, introspection and
 * revocation endpoints receive them. RFC 6749 §3.1: parameters sent without a value are treated as omitted;
 * §3.2: parameters MUST NOT be included more than once, except those declared repeatable; unrecognized ones
 * MUST be ignored. Every violation is invalid_request.
 */
public final class FormBody {

    public static final String FORM = "application/x-www-form-urlencoded";

    private final Map<String, List<String>> values;

    private FormBody(Map<String, List<String>> values) {
        this.values = values;
    }

    /** Parses {@code body}, keeping only the {@code known} parameters; {@code repeatable} ones may recur. */
    public static FormBody parse(String contentType, String body, int maxBodyBytes, Set<String> known,
            Set<String> repeatable) {
        requireForm(contentType);
        body = body == null ? "" : body;
        if (body.length() > maxBodyBytes) {
            throw OAuthException.invalidRequest("Request body too large");
        }
        Map<String, List<String>> values = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            if (!known.contains(name)) {
                continue;
            }
            List<String> seen = values.computeIfAbsent(name, ignored -> new ArrayList<>());
            if (!seen.isEmpty() && !repeatable.contains(name)) {
                throw OAuthException.invalidRequest("Parameter " + name + " is repeated");
            }
            seen.add(equals < 0 ? "" : decode(pair.substring(equals + 1)));
        }
        return new FormBody(values);
    }

    public static void requireForm(String contentType) {
        // A charset parameter is ignored: the form is percent-encoded ASCII of UTF-8 (RFC 6749 Appendix B),
        // and common clients declare ISO-8859-1 for it.
        if (contentType == null || !contentType.split(";", 2)[0].trim().equalsIgnoreCase(FORM)) {
            throw OAuthException.invalidRequest("Content-Type must be " + FORM);
        }
    }

    /** The value of a single-valued parameter; empty when omitted or sent without a value. */
    public Optional<String> get(String name) {
        return all(name).stream().filter(value -> !value.isEmpty()).findFirst();
    }

    /** A parameter that is REQUIRED; invalid_request when it is missing. */
    public String require(String name) {
        return get(name).orElseThrow(() -> OAuthException.invalidRequest("Missing " + name));
    }

    /** Every value of a repeatable parameter, in order, empty ones included. */
    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidRequest("Malformed form encoding");
        }
    }
}
