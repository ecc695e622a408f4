package io.tokenservice.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tokenservice.client.AuthenticationFailure;
import io.tokenservice.client.ClientAuthenticationException;
import io.tokenservice.client.ClientCredentials;
import io.tokenservice.error.OAuthError;
import io.tokenservice.error.OAuthException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientCredentialsParserTest {

    private static String basic(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    private static ClientCredentials fromHeader(String header) {
        return ClientCredentialsParser.parse(List.of(header), Optional.empty(), Optional.empty());
    }

    @Test
    void plainBasicCredentialsHaveOneReading() {
        ClientCredentials credentials = fromHeader(basic("client:secret"));
        assertEquals(io.tokenservice.client.ClientAuthMethod.CLIENT_SECRET_BASIC, credentials.method());
        assertEquals(List.of(new ClientCredentials.Candidate("client", "secret")), credentials.candidates());
    }

    @Test
    void secretIsEverythingAfterTheFirstColon() {
        assertEquals(List.of(new ClientCredentials.Candidate("client", "a:b:c")),
                fromHeader(basic("client:a:b:c")).candidates());
    }

    @Test
    void encodedCredentialsAreReadTheRfcWayFirstThenRaw() {
        assertEquals(List.of(new ClientCredentials.Candidate("client", "a+b"), new ClientCredentials.Candidate("client", "a%2Bb")),
                fromHeader(basic("client:a%2Bb")).candidates());
    }

    @Test
    void secretThatIsNotValidEncodingHasOnlyTheRawReading() {
        assertEquals(List.of(new ClientCredentials.Candidate("client", "100%")), fromHeader(basic("client:100%")).candidates());
    }

    @Test
    void bodyCredentialsAreClientSecretPost() {
        ClientCredentials credentials = ClientCredentialsParser.parse(List.of(), Optional.of("client"), Optional.of("s"));
        assertEquals(io.tokenservice.client.ClientAuthMethod.CLIENT_SECRET_POST, credentials.method());
        assertEquals(List.of(new ClientCredentials.Candidate("client", "s")), credentials.candidates());
    }

    @Test
    void emptyClientIdIsInvalidRequest() {
        assertEquals(OAuthError.INVALID_REQUEST,
                assertThrows(OAuthException.class, () -> fromHeader(basic(":secret"))).error());
    }

    @Test
    void basicWithoutCredentialsIsNoCredentials() {
        assertEquals(AuthenticationFailure.NO_CREDENTIALS,
                assertThrows(ClientAuthenticationException.class, () -> fromHeader("Basic")).reason());
    }

    @Test
    void digestSchemeIsNoCredentials() {
        assertEquals(AuthenticationFailure.NO_CREDENTIALS,
                assertThrows(ClientAuthenticationException.class, () -> fromHeader("Digest username=\"x\"")).reason());
    }

    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    @Test
    void anAssertionWithItsTypeIsAClientAssertion() {
        var presented = ClientCredentialsParser.parse(List.of(), Optional.of("client"), Optional.empty(),
                Optional.of(JWT_BEARER), Optional.of("a.b.c"));
        assertEquals(new io.tokenservice.client.ClientAssertion(Optional.of("client"), "a.b.c"), presented);
    }

    @Test
    void anAssertionTogetherWithASecretIsInvalidRequest() {
        assertEquals(OAuthError.INVALID_REQUEST, org.junit.jupiter.api.Assertions.assertThrows(OAuthException.class,
                () -> ClientCredentialsParser.parse(List.of(basic("client:secret")), Optional.empty(), Optional.empty(),
                        Optional.of(JWT_BEARER), Optional.of("a.b.c"))).error());
        assertEquals(OAuthError.INVALID_REQUEST, org.junit.jupiter.api.Assertions.assertThrows(OAuthException.class,
                () -> ClientCredentialsParser.parse(List.of(), Optional.of("client"), Optional.of("secret"),
                        Optional.of(JWT_BEARER), Optional.of("a.b.c"))).error());
    }

    @Test
    void anAssertionWithoutItsTypeOrATypeWithoutAnAssertionIsInvalidRequest() {
        assertEquals(OAuthError.INVALID_REQUEST, org.junit.jupiter.api.Assertions.assertThrows(OAuthException.class,
                () -> ClientCredentialsParser.parse(List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.of("a.b.c"))).error());
        assertEquals(OAuthError.INVALID_REQUEST, org.junit.jupiter.api.Assertions.assertThrows(OAuthException.class,
                () -> ClientCredentialsParser.parse(List.of(), Optional.empty(), Optional.empty(),
                        Optional.of(JWT_BEARER), Optional.empty())).error());
    }

    @Test
    void anotherAssertionTypeIsMalformedAssertion() {
        var failure = org.junit.jupiter.api.Assertions.assertThrows(
                io.tokenservice.client.ClientAuthenticationException.class,
                () -> ClientCredentialsParser.parse(List.of(), Optional.empty(), Optional.empty(),
                        Optional.of("urn:ietf:params:oauth:client-assertion-type:saml2-bearer"), Optional.of("x")));
        assertEquals(io.tokenservice.client.AuthenticationFailure.MALFORMED_ASSERTION, failure.reason());
    }
}
