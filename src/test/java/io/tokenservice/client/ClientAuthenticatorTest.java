package io.tokenservice.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    private static ClientSnapshot client(boolean enabled, ClientAuthMethod method) {
        return new ClientSnapshot("client", "hash", null, null, List.of(), List.of(), null, method, enabled);
    }

    private static Optional<SecretVerifier.Match> matched(ClientSnapshot client) {
        return Optional.of(new SecretVerifier.Match(client, client.secretHash()));
    }

    static Stream<Arguments> secretFailures() {
        ClientSnapshot valid = client(true, ClientAuthMethod.CLIENT_SECRET_BASIC);
        ClientSnapshot disabled = client(false, ClientAuthMethod.CLIENT_SECRET_BASIC);
        return Stream.of(
                Arguments.of(Map.of(), Optional.empty(), AuthenticationFailure.UNKNOWN_CLIENT),
                Arguments.of(Map.of("client", valid), Optional.empty(), AuthenticationFailure.BAD_SECRET),
                Arguments.of(Map.of("client", disabled), Optional.empty(), AuthenticationFailure.BAD_SECRET));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource
    void secretFailures(Map<String, ClientSnapshot> found, Optional<SecretVerifier.Match> match, AuthenticationFailure reason) {
        assertEquals(reason, assertThrows(ClientAuthenticationException.class,
                () -> SecretAuthentication.matched(found, match)).reason());
    }

    static Stream<Arguments> policyFailures() {
        return Stream.of(
                Arguments.of(client(false, ClientAuthMethod.CLIENT_SECRET_BASIC), ClientAuthMethod.CLIENT_SECRET_BASIC,
                        Optional.empty(), AuthenticationFailure.DISABLED),
                Arguments.of(client(true, ClientAuthMethod.CLIENT_SECRET_POST), ClientAuthMethod.CLIENT_SECRET_BASIC,
                        Optional.empty(), AuthenticationFailure.METHOD_MISMATCH),
                Arguments.of(client(true, ClientAuthMethod.PRIVATE_KEY_JWT), ClientAuthMethod.PRIVATE_KEY_JWT,
                        Optional.of("another"), AuthenticationFailure.MALFORMED_ASSERTION));
    }

    @ParameterizedTest(name = "{3}")
    @MethodSource
    void policyFailures(ClientSnapshot client, ClientAuthMethod method, Optional<String> named, AuthenticationFailure reason) {
        assertEquals(reason, assertThrows(ClientAuthenticationException.class,
                () -> ClientAuthenticator.allowed(method, named, client)).reason());
    }

    @Test
    void enabledClientWithItsRegisteredMethodIsAccepted() {
        ClientSnapshot valid = client(true, ClientAuthMethod.CLIENT_SECRET_BASIC);
        assertSame(valid, SecretAuthentication.matched(Map.of("client", valid), matched(valid)));
        assertSame(valid, ClientAuthenticator.allowed(ClientAuthMethod.CLIENT_SECRET_BASIC, Optional.of("client"), valid));
    }

    @Test
    void whichFailuresAreGuessesIsDecidedOnce() {
        assertEquals(java.util.EnumSet.of(AuthenticationFailure.UNKNOWN_CLIENT, AuthenticationFailure.BAD_SECRET,
                        AuthenticationFailure.METHOD_MISMATCH, AuthenticationFailure.MALFORMED_ASSERTION,
                        AuthenticationFailure.BAD_SIGNATURE, AuthenticationFailure.REPLAYED_ASSERTION,
                        AuthenticationFailure.UNKNOWN_SUBJECT, AuthenticationFailure.BAD_CERTIFICATE),
                java.util.Arrays.stream(AuthenticationFailure.values()).filter(AuthenticationFailure::guess)
                        .collect(java.util.stream.Collectors.toCollection(() -> java.util.EnumSet.noneOf(AuthenticationFailure.class))));
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
