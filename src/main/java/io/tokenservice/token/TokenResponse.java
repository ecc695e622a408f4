package io.tokenservice.token;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The successful token response of RFC 6749 §5.1. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenResponse(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn,
        // scope, RFC 6749 §5.1: present when scopes were granted.
        @JsonProperty("scope") String scope) {

    static TokenResponse of(AccessToken token) {
        return new TokenResponse(token.jwt(), "Bearer", token.expiresInSeconds(),
                token.scopes().isEmpty() ? null : String.join(" ", token.scopes()));
    }
}
