package io.tokenservice.token;

import java.util.List;

/**
 * A signed access token and what the token response says about it.
 *
 * @param jwt the compact JWS (RFC 7515 §7.1)
 * @param expiresInSeconds equal to the token's {@code exp - iat}
 * @param scopes the granted scopes, possibly none
 */
public record AccessToken(String jwt, long expiresInSeconds, List<String> scopes) {
}
