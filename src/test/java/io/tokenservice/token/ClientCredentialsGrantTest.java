package io.tokenservice.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tokenservice.client.ClientAuthMethod;
import io.tokenservice.client.ClientSnapshot;
import io.tokenservice.error.OAuthError;
import io.tokenservice.error.OAuthException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a client_credentials request is granted, table-driven (fosite's flow_client_credentials_test). */
class ClientCredentialsGrantTest {

    static final List<String> DEFAULT_AUDIENCE = List.of("https://issuer.example");
    static final Duration DEFAULT_LIFETIME = Duration.ofDays(1);
    static final Duration MAX_LIFETIME = Duration.ofDays(2);
    static final AdminAuthority ADMIN = new AdminAuthority("https://issuer.example/admin", Duration.ofMinutes(15));
    static final ClientCredentialsGrant GRANT = new ClientCredentialsGrant(
            new ClientTokenLimits(DEFAULT_AUDIENCE, DEFAULT_LIFETIME, MAX_LIFETIME, ADMIN), null);

    /** A valid client: scopes read and write, no audience or lifetime of its own. */
    private static ClientSnapshot client(List<String> audience, Integer ttl) {
        return new ClientSnapshot("client", "hash", null, null, List.of("read", "write"), audience, ttl,
                ClientAuthMethod.CLIENT_SECRET_BASIC, true);
    }

    private static ClientCredentialsGrant.Request request(List<String> scopes, List<String> resources) {
        return new ClientCredentialsGrant.Request(Optional.ofNullable(scopes), resources);
    }

    static Stream<Arguments> granted() {
        List<String> apis = List.of("https://a.example", "https://b.example");
        return Stream.of(
                Arguments.of("no scope asked: every registered scope", client(List.of(), null), request(null, List.of()),
                        new AccessGrant("client", List.of("read", "write"), DEFAULT_AUDIENCE, DEFAULT_LIFETIME)),
                Arguments.of("a subset asked: that subset", client(List.of(), null), request(List.of("read"), List.of()),
                        new AccessGrant("client", List.of("read"), DEFAULT_AUDIENCE, DEFAULT_LIFETIME)),
                Arguments.of("registered audience replaces the default", client(apis, null), request(null, List.of()),
                        new AccessGrant("client", List.of("read", "write"), apis, DEFAULT_LIFETIME)),
                Arguments.of("a resource narrows the audience", client(apis, null),
                        request(null, List.of("https://b.example")),
                        new AccessGrant("client", List.of("read", "write"), List.of("https://b.example"), DEFAULT_LIFETIME)),
                Arguments.of("the client's own lifetime", client(List.of(), 600), request(null, List.of()),
                        new AccessGrant("client", List.of("read", "write"), DEFAULT_AUDIENCE, Duration.ofMinutes(10))),
                Arguments.of("a stored lifetime over a since lowered max-ttl: the max-ttl",
                        client(List.of(), (int) Duration.ofDays(7).toSeconds()), request(null, List.of()),
                        new AccessGrant("client", List.of("read", "write"), DEFAULT_AUDIENCE, MAX_LIFETIME)),
                Arguments.of("an admin token lives at most the admin token ttl",
                        client(List.of("https://issuer.example/admin"), null), request(null, List.of()),
                        new AccessGrant("client", List.of("read", "write"), List.of("https://issuer.example/admin"),
                                Duration.ofMinutes(15))),
                Arguments.of("registered for an API and the admin API, asking for nothing: the API alone",
                        client(List.of("https://a.example", "https://issuer.example/admin"), null), request(null, List.of()),
                        new AccessGrant("client", List.of("read", "write"), List.of("https://a.example"), DEFAULT_LIFETIME)),
                Arguments.of("registered for both, asking for the admin API: that alone, short-lived",
                        client(List.of("https://a.example", "https://issuer.example/admin"), null),
                        request(null, List.of("https://issuer.example/admin")),
                        new AccessGrant("client", List.of("read", "write"), List.of("https://issuer.example/admin"),
                                Duration.ofMinutes(15))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void granted(String situation, ClientSnapshot client, ClientCredentialsGrant.Request request, AccessGrant expected) {
        assertEquals(expected, GRANT.authorize(client, request));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("an unregistered scope", client(List.of(), null), request(List.of("read", "admin"), List.of()),
                        OAuthError.INVALID_SCOPE),
                Arguments.of("a resource outside the registered audience",
                        client(List.of("https://a.example"), null), request(null, List.of("https://c.example")),
                        OAuthError.INVALID_TARGET),
                Arguments.of("a resource other than the default audience", client(List.of(), null),
                        request(null, List.of("https://a.example")), OAuthError.INVALID_TARGET),
                Arguments.of("the admin audience beside another resource",
                        client(List.of("https://a.example", "https://issuer.example/admin"), null),
                        request(null, List.of("https://a.example", "https://issuer.example/admin")), OAuthError.INVALID_TARGET));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void refused(String situation, ClientSnapshot client, ClientCredentialsGrant.Request request, OAuthError error) {
        assertEquals(error, assertThrows(OAuthException.class, () -> GRANT.authorize(client, request)).error());
    }

    @Test
    void theAdminAudienceIsNeverPartOfTheDefaultAudience() {
        ClientCredentialsGrant grant = new ClientCredentialsGrant(new ClientTokenLimits(
                List.of("https://issuer.example", "https://issuer.example/admin"), DEFAULT_LIFETIME, MAX_LIFETIME, ADMIN), null);
        assertEquals(List.of("https://issuer.example"),
                grant.authorize(client(List.of(), null), request(null, List.of())).audience());
        assertEquals(OAuthError.INVALID_TARGET, assertThrows(OAuthException.class, () -> grant.authorize(
                client(List.of(), null), request(null, List.of("https://issuer.example/admin")))).error());
    }

    @Test
    void theGrantCarriesTheClientsVersionAndRegistration() {
        ClientSnapshot client = new ClientSnapshot("client", "hash", null, null, List.of("read"), List.of(), null,
                ClientAuthMethod.CLIENT_SECRET_BASIC, true, 7, 5, Instant.parse("2026-01-01T00:00:01Z"), null, "at+jwt",
                null, null, java.util.Set.of(), 42);
        AccessGrant grant = GRANT.authorize(client, request(null, List.of()));
        assertEquals(7, grant.clientVersion());
        assertEquals(42, grant.clientRegistration());
    }
}
