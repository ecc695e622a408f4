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
    void aClientHonoursOnlyTokensOfItsCurrentVersionsAndItsRegistration() {
        java.time.Instant registered = java.time.Instant.parse("2026-01-01T00:00:00Z");
        ClientSnapshot client = registeredAs(true, registered, 42);
        java.util.OptionalLong itsRegistration = java.util.OptionalLong.of(42);
        assertEquals(true, client.honoursToken(7, itsRegistration, registered));
        assertEquals(true, client.honoursToken(9, itsRegistration, registered.plusSeconds(60)));
        // Issued within the second it was registered, with an iat before that instant: still its own.
        assertEquals(true, client.honoursToken(9, itsRegistration, registered.minusSeconds(1)));
        // Minted later, but from a copy cached before the cut-off: dead.
        assertEquals(false, client.honoursToken(6, itsRegistration, registered.plusSeconds(3600)));
        // A token of an earlier client with the same id, whatever its iat.
        assertEquals(false, client.honoursToken(9, java.util.OptionalLong.of(41), registered.plusSeconds(60)));
        assertEquals(false, registeredAs(false, registered, 42).honoursToken(9, itsRegistration, registered.plusSeconds(60)));
    }

    @Test
    void aTokenMintedBeforeRegistrationsWereNumberedIsJudgedByItsIssueTime() {
        java.time.Instant registered = java.time.Instant.parse("2026-01-01T00:00:00Z");
        ClientSnapshot client = registeredAs(true, registered, 42);
        assertEquals(true, client.honoursToken(9, java.util.OptionalLong.empty(), registered));
        assertEquals(false, client.honoursToken(9, java.util.OptionalLong.empty(), registered.minusSeconds(1)));
    }

    private static ClientSnapshot registeredAs(boolean enabled, java.time.Instant notBefore, long registration) {
        return new ClientSnapshot("client", "hash", null, null, List.of(), List.of(), null,
                ClientAuthMethod.CLIENT_SECRET_BASIC, enabled, 9, 7, notBefore, null, "at+jwt", null, null,
                java.util.Set.of(), registration);
    }
}
