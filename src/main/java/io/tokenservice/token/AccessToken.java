package io.tokenservice.token;

import io.tokenservice.binding.Confirmation;
import java.util.List;

/**
 * A signed token and what the token response says about it.
 *
 * @param jwt the compact JWS (RFC 7515 §7.1)
 * @param expiresInSeconds the token's {@code exp - iat} when just signed; its remaining whole seconds when handed out
 *     again ({@link ReissueWindow})
 * @param scopes the granted scopes, possibly none
 * @param tokenType the response's {@code token_type}: {@code Bearer}, or {@code N_A} for a token that is no access
 *     token (RFC 8693 §2.2.1)
 * @param issuedTokenType the response's {@code issued_token_type} (RFC 8693 §2.2.1), or null outside token exchange
 */
public record AccessToken(String jwt, long expiresInSeconds, List<String> scopes, String tokenType, String issuedTokenType) {

    /** A bearer access token, as client_credentials issues it. */
    public AccessToken(String jwt, long expiresInSeconds, List<String> scopes) {
        this(jwt, expiresInSeconds, scopes, "Bearer", null);
    }

    /** The same token, answered with the token_type its binding gives it (RFC 9449 §5: DPoP, else Bearer). */
    public AccessToken boundAs(Confirmation binding) {
        return new AccessToken(jwt, expiresInSeconds, scopes, binding.tokenType(), issuedTokenType);
    }

    /** The same token, answered as a token exchange answers: with its type, and its token_type. */
    public AccessToken asExchanged(String issuedTokenType, String tokenType) {
        return new AccessToken(jwt, expiresInSeconds, scopes, tokenType, issuedTokenType);
    }
}
