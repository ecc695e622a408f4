package io.tokenservice.error;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The error body of RFC 6749 §5.2. */
public record ErrorResponse(
        @JsonProperty("error") String error,
        @JsonProperty("error_description") String errorDescription) {
}
