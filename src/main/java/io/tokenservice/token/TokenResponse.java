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
        @JsonProperty("scope") String scope,
        // issued_token_type, RFC 8693 §2.2.1: REQUIRED in a token exchange response, absent otherwise.
        @JsonProperty("issued_token_type") String issuedTokenType) {

    static TokenResponse of(AccessToken token) {
        return new TokenResponse(token.jwt(), token.tokenType(), token.expiresInSeconds(),
                token.scopes().isEmpty() ? null : String.join(" ", token.scopes()), token.issuedTokenType());
    }
}
