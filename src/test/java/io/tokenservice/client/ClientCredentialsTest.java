package io.tokenservice.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tokenservice.error.OAuthError;
import io.tokenservice.error.OAuthException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientCredentialsTest {

    private static String basic(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    private static ClientCredentials fromHeader(String header) {
        return ClientCredentials.from(List.of(header), Optional.empty(), Optional.empty());
    }

    @Test
    void plainBasicCredentialsHaveOneReading() {
        ClientCredentials credentials = fromHeader(basic("client:secret"));
        assertEquals(ClientAuthMethod.CLIENT_SECRET_BASIC, credentials.method());
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
        ClientCredentials credentials = ClientCredentials.from(List.of(), Optional.of("client"), Optional.of("s"));
        assertEquals(ClientAuthMethod.CLIENT_SECRET_POST, credentials.method());
        assertEquals(List.of(new ClientCredentials.Candidate("client", "s")), credentials.candidates());
    }

    @Test
    void emptyClientIdIsInvalidRequest() {
        assertEquals(OAuthError.INVALID_REQUEST,
                assertThrows(OAuthException.class, () -> fromHeader(basic(":secret"))).error());
    }

    @Test
    void basicWithoutCredentialsIsInvalidClient() {
        assertEquals(OAuthError.INVALID_CLIENT, assertThrows(OAuthException.class, () -> fromHeader("Basic")).error());
    }

    @Test
    void digestSchemeIsInvalidClient() {
        assertEquals(OAuthError.INVALID_CLIENT,
                assertThrows(OAuthException.class, () -> fromHeader("Digest username=\"x\"")).error());
    }
}
