package io.tokenservice.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tokenservice.client.ClientCredentials.Candidate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The authentication policy on what the directory found and the verifier matched: each failure is named. */
class ClientAuthenticatorTest {

    static final ClientCredentials BASIC = new ClientCredentials(ClientAuthMethod.CLIENT_SECRET_BASIC,
            List.of(new Candidate("client", "secret")));

    private static ClientSnapshot client(boolean enabled, ClientAuthMethod method) {
        return new ClientSnapshot("client", "hash", null, null, List.of(), List.of(), null, method, enabled);
    }

    private static Optional<SecretVerifier.Match> matched(ClientSnapshot client) {
        return Optional.of(new SecretVerifier.Match(client, client.secretHash()));
    }

    static Stream<Arguments> failures() {
        ClientSnapshot valid = client(true, ClientAuthMethod.CLIENT_SECRET_BASIC);
        ClientSnapshot disabled = client(false, ClientAuthMethod.CLIENT_SECRET_BASIC);
        ClientSnapshot postOnly = client(true, ClientAuthMethod.CLIENT_SECRET_POST);
        return Stream.of(
                Arguments.of(Map.of(), Optional.empty(), AuthenticationFailure.UNKNOWN_CLIENT),
                Arguments.of(Map.of("client", valid), Optional.empty(), AuthenticationFailure.BAD_SECRET),
                Arguments.of(Map.of("client", disabled), Optional.empty(), AuthenticationFailure.BAD_SECRET),
                Arguments.of(Map.of("client", disabled), matched(disabled), AuthenticationFailure.DISABLED),
                Arguments.of(Map.of("client", postOnly), matched(postOnly), AuthenticationFailure.METHOD_MISMATCH));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource
    void failures(Map<String, ClientSnapshot> found, Optional<SecretVerifier.Match> match, AuthenticationFailure reason) {
        assertEquals(reason, assertThrows(ClientAuthenticationException.class,
                () -> ClientAuthenticator.accept(BASIC, found, match)).reason());
    }

    @Test
    void enabledClientWithItsRegisteredMethodIsAccepted() {
        ClientSnapshot valid = client(true, ClientAuthMethod.CLIENT_SECRET_BASIC);
        assertSame(valid, ClientAuthenticator.accept(BASIC, Map.of("client", valid), matched(valid)));
    }

    @Test
    void aClientHonoursOnlyTokensOfItsCurrentVersionsIssuedAfterItsRegistration() {
        java.time.Instant registered = java.time.Instant.parse("2026-01-01T00:00:00Z");
        ClientSnapshot client = new ClientSnapshot("client", "hash", null, null, List.of(), List.of(), null,
                ClientAuthMethod.CLIENT_SECRET_BASIC, true, 9, 7, registered, null, "at+jwt");
        assertEquals(true, client.honoursToken(7, registered));
        assertEquals(true, client.honoursToken(9, registered.plusSeconds(60)));
        // Minted later, but from a copy cached before the cut-off: dead.
        assertEquals(false, client.honoursToken(6, registered.plusSeconds(3600)));
        // A token of an earlier client with the same id, from before this one was registered.
        assertEquals(false, client.honoursToken(9, registered.minusSeconds(1)));
        ClientSnapshot disabled = new ClientSnapshot("client", "hash", null, null, List.of(), List.of(), null,
                ClientAuthMethod.CLIENT_SECRET_BASIC, false, 9, 7, registered, null, "at+jwt");
        assertEquals(false, disabled.honoursToken(9, registered.plusSeconds(60)));
    }
}
