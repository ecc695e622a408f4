package io.tokenservice.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenservice.error.OAuthError;
import io.tokenservice.error.OAuthException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenRequestParserTest {

    static final ClientCredentialsGrant CLIENT_CREDENTIALS = new ClientCredentialsGrant(new ClientTokenLimits(
            List.of("https://issuer.example"), java.time.Duration.ofDays(1), java.time.Duration.ofDays(2),
            new AdminAuthority("https://issuer.example/admin", java.time.Duration.ofMinutes(15))), null);
    private final TokenRequestParser parser = new TokenRequestParser(8192, new Grants(List.of(CLIENT_CREDENTIALS)));

    /** The scopes a client_credentials request with this body asks for, as its grant reads them. */
    private static Optional<List<String>> scopes(String body) {
        return CLIENT_CREDENTIALS.parse(io.tokenservice.endpoint.FormBody.parse("application/x-www-form-urlencoded",
                body, 8192, java.util.Set.of("grant_type", "scope", "resource"), java.util.Set.of("resource"))).scopes();
    }

    private OAuthError rejection(String contentType, String body) {
        return assertThrows(OAuthException.class, () -> parser.parse(contentType, body)).error();
    }

    @Test
    void clientCredentialsWithScopeAndBodyCredentialsIsParsed() {
        String body = "grant_type=client_credentials&scope=read%20write+admin&client_id=a%2Bb&client_secret=s%26t";
        TokenRequest request = parser.parse("application/x-www-form-urlencoded", body);
        assertEquals("client_credentials", request.grantType());
        assertEquals(Optional.of(List.of("read", "write", "admin")), scopes(body));
        assertEquals(Optional.of("a+b"), request.clientId());
        assertEquals(Optional.of("s&t"), request.clientSecret());
    }

    @Test
    void contentTypeIsCaseInsensitiveAndMayCarryACharset() {
        assertEquals("client_credentials", parser.parse("Application/X-WWW-Form-Urlencoded; charset=ISO-8859-1",
                "grant_type=client_credentials").grantType());
    }

    @Test
    void bodyWithoutContentLengthIsStillBounded() {
        assertEquals(OAuthError.INVALID_REQUEST,
                rejection("application/x-www-form-urlencoded", "grant_type=client_credentials&x=" + "a".repeat(8200)));
    }

    @Test
    void multipartIsInvalidRequest() {
        assertEquals(OAuthError.INVALID_REQUEST, rejection("multipart/form-data; boundary=x", "grant_type=client_credentials"));
    }

    @Test
    void nullBodyIsMissingGrantType() {
        assertEquals(OAuthError.INVALID_REQUEST, rejection("application/x-www-form-urlencoded", null));
    }

    @Test
    void parameterWithoutEqualsSignCountsAsEmpty() {
        assertEquals(OAuthError.INVALID_REQUEST, rejection("application/x-www-form-urlencoded", "grant_type"));
    }

    @Test
    void repeatedClientSecretIsInvalidRequest() {
        assertEquals(OAuthError.INVALID_REQUEST, rejection("application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_secret=a&client_secret=b"));
    }

    @Test
    void repeatedParameterIsRejectedEvenWhenOneIsEmpty() {
        assertEquals(OAuthError.INVALID_REQUEST, rejection("application/x-www-form-urlencoded",
                "grant_type=&grant_type=client_credentials"));
    }

    @Test
    void grantTypeIsCaseSensitive() {
        assertEquals(OAuthError.UNSUPPORTED_GRANT_TYPE,
                rejection("application/x-www-form-urlencoded", "grant_type=Client_Credentials"));
    }

    @Test
    void scopeOfOnlySpacesIsInvalidScope() {
        assertEquals(OAuthError.INVALID_SCOPE,
                rejection("application/x-www-form-urlencoded", "grant_type=client_credentials&scope=%20%20"));
    }

    @Test
    void scopeWithBackslashIsInvalidScope() {
        assertEquals(OAuthError.INVALID_SCOPE,
                rejection("application/x-www-form-urlencoded", "grant_type=client_credentials&scope=a%5Cb"));
    }

    @Test
    void duplicateScopeTokensCollapse() {
        assertEquals(Optional.of(List.of("read")), scopes("grant_type=client_credentials&scope=read+read"));
    }
}
