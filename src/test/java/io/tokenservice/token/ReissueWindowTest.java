package io.tokenservice.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokenservice.client.ClientAuthMethod;
import io.tokenservice.client.ClientSnapshot;
import io.tokenservice.client.ExchangePolicy;
import io.tokenservice.client.ReissuePolicy;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.key.SigningKeys;
import io.tokenservice.key.SigningLane;
import io.tokenservice.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When a repeat request gets the token already issued, and when it gets a new one; on a movable clock. */
class ReissueWindowTest {

    static final Duration LIFETIME = Duration.ofMinutes(10);
    static final AdminAuthority ADMIN = new AdminAuthority("https://issuer.example/admin", Duration.ofMinutes(15));

    private final MovableClock clock = new MovableClock(Instant.parse("2026-03-01T10:15:30.250Z"));
    private final Set<String> revoked = new HashSet<>();
    // What TokenRevocations and the change listener say: revocations fit in memory, announcements arrive.
    private boolean revocationsAtHand = true;
    private boolean announcementsArrive = true;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final IssuedTokens counted = new IssuedTokens(registry, 10);
    private final AccessTokenMinter minter = new AccessTokenMinter("https://issuer.example",
            SigningKeys.fixed(AccessTokenMinterTest.KEY), clock, counted, 0, new SigningLane(0, 1));

    private ReissueWindow window(boolean enabled, double minRemaining, int maxEntries, int perClient) {
        TokenRevocations revocations = jwtId -> revoked.contains(jwtId) ? Optional.of(true)
                : revocationsAtHand ? Optional.of(false) : Optional.empty();
        return new ReissueWindow(minter, SigningKeys.fixed(AccessTokenMinterTest.KEY), revocations,
                () -> announcementsArrive, ADMIN, counted, clock, settings(enabled, minRemaining, maxEntries, perClient));
    }

    private ReissueWindow window() {
        return window(true, 0.5, 100, 8);
    }

    private static ClientSnapshot client(String clientId, long version, boolean reissue) {
        return client(clientId, version, new ReissuePolicy(reissue, OptionalDouble.empty()));
    }

    private static ClientSnapshot client(String clientId, long version, ReissuePolicy reissue) {
        return new ClientSnapshot(clientId, "hash", null, null, List.of("read", "write"), List.of(), null,
                ClientAuthMethod.CLIENT_SECRET_BASIC, true, version, 0, Instant.EPOCH, null, "at+jwt", null, null, Set.of(),
                42, Set.of(Grants.CLIENT_CREDENTIALS), ExchangePolicy.NONE, reissue, java.util.Optional.empty(),
                io.tokenservice.client.TokenBinding.NONE);
    }

    private static final ClientSnapshot CLIENT = client("client", 3, true);

    private static AccessGrant grant(ClientSnapshot client, List<String> scopes, List<String> audience) {
        return new AccessGrant(client.clientId(), scopes, audience, LIFETIME, client.version(), client.registration(),
                "at+jwt");
    }

    private static AccessGrant grant(List<String> scopes) {
        return grant(CLIENT, scopes, List.of("https://api.example"));
    }

    private static AccessToken issue(ReissueWindow window, ClientSnapshot client, AccessGrant grant) {
        return window.issue(client, grant).await().indefinitely();
    }

    private double signed() {
        return registry.get("token_service.tokens.issued").counter().count();
    }

    private double reissued() {
        return registry.get("token_service.tokens.reissued").counter().count();
    }

    @Test
    void aRepeatRequestGetsTheSameTokenWithItsRemainingSeconds() {
        ReissueWindow window = window();
        AccessToken first = issue(window, CLIENT, grant(List.of("read")));
        clock.advance(Duration.ofSeconds(100));
        AccessToken again = issue(window, CLIENT, grant(List.of("read")));
        assertEquals(first.jwt(), again.jwt());
        assertEquals(600, first.expiresInSeconds());
        // iat was 10:15:30 (whole seconds, rounded down), exp 10:25:30; now 10:17:10.250: 499.75 s left, said as 499.
        assertEquals(499, again.expiresInSeconds());
        assertEquals(List.of("read"), again.scopes());
        assertEquals(1.0, signed());
        assertEquals(1.0, reissued());
        assertEquals(1.0, registry.get("token_service.client.tokens.reissued").tag("client_id", "client").counter().count());
    }

    @Test
    void onceLessThanTheMinimumOfItsLifeIsLeftATokenIsSignedAnew() {
        ReissueWindow window = window();
        AccessToken first = issue(window, CLIENT, grant(List.of("read")));
        // iat 10:15:30, exp 10:25:30; at 10:20:29.250 300 whole seconds, half of 600, are left.
        clock.advance(Duration.ofSeconds(299));
        assertEquals(first.jwt(), issue(window, CLIENT, grant(List.of("read"))).jwt(), "half is left");
        clock.advance(Duration.ofSeconds(1));
        AccessToken fresh = issue(window, CLIENT, grant(List.of("read")));
        assertNotEquals(first.jwt(), fresh.jwt());
        assertEquals(600, fresh.expiresInSeconds());
        assertEquals(fresh.jwt(), issue(window, CLIENT, grant(List.of("read"))).jwt(), "the new token is held in turn");
    }

    @Test
    void aClientsOwnWindowTakesThePlaceOfTheServicesDefault() {
        ReissueWindow window = window();
        ClientSnapshot strict = client("strict", 1, new ReissuePolicy(true, OptionalDouble.of(0.9)));
        AccessGrant itsGrant = grant(strict, List.of("read"), List.of("https://api.example"));
        AccessToken first = issue(window, strict, itsGrant);
        // 539.75 s of 600 left: more than half, less than the client's nine tenths.
        clock.advance(Duration.ofSeconds(59));
        assertEquals(first.jwt(), issue(window, strict, itsGrant).jwt(), "540 whole seconds are nine tenths");
        clock.advance(Duration.ofSeconds(1));
        assertNotEquals(first.jwt(), issue(window, strict, itsGrant).jwt());
    }

    @Test
    void theSameScopesInAnotherOrderAreTheSameRequestOtherScopesOrAudiencesAreNot() {
        ReissueWindow window = window();
        AccessToken both = issue(window, CLIENT, grant(List.of("read", "write")));
        assertEquals(both.jwt(), issue(window, CLIENT, grant(List.of("write", "read"))).jwt());
        assertNotEquals(both.jwt(), issue(window, CLIENT, grant(List.of("read"))).jwt());
        assertNotEquals(both.jwt(), issue(window, CLIENT, grant(CLIENT, List.of("read", "write"),
                List.of("https://other.example"))).jwt());
        assertNotEquals(both.jwt(), issue(window, CLIENT, grant(List.of("read", "write")).withClaim("cnf",
                Map.of("jkt", "thumbprint"))).jwt(), "a binding is part of the request");
        assertEquals(both.jwt(), issue(window, CLIENT, grant(List.of("read", "write"))).jwt(), "each is held beside it");
    }

    @Test
    void aChangedClientGetsANewToken() {
        ReissueWindow window = window();
        AccessToken first = issue(window, CLIENT, grant(List.of("read")));
        ClientSnapshot changed = client("client", 4, true);
        assertNotEquals(first.jwt(), issue(window, changed, grant(changed, List.of("read"), List.of("https://api.example"))).jwt());
    }

    @Test
    void aRevokedTokenIsNeverHandedOutAgain() throws Exception {
        ReissueWindow window = window();
        AccessToken first = issue(window, CLIENT, grant(List.of("read")));
        revoked.add(com.nimbusds.jwt.SignedJWT.parse(first.jwt()).getJWTClaimsSet().getJWTID());
        AccessToken fresh = issue(window, CLIENT, grant(List.of("read")));
        assertNotEquals(first.jwt(), fresh.jwt());
        assertEquals(fresh.jwt(), issue(window, CLIENT, grant(List.of("read"))).jwt());
    }

    @Test
    void whileRevocationsElsewhereCouldGoUnseenATokenIsSignedAnew() {
        ReissueWindow window = window();
        AccessToken first = issue(window, CLIENT, grant(List.of("read")));
        announcementsArrive = false;
        AccessToken unannounced = issue(window, CLIENT, grant(List.of("read")));
        assertNotEquals(first.jwt(), unannounced.jwt(), "not listening: a revocation on another replica may be unknown here");
        announcementsArrive = true;
        revocationsAtHand = false;
        AccessToken overflowing = issue(window, CLIENT, grant(List.of("read")));
        assertNotEquals(unannounced.jwt(), overflowing.jwt(), "revocations overflowed memory: the database is not asked");
        revocationsAtHand = true;
        assertEquals(overflowing.jwt(), issue(window, CLIENT, grant(List.of("read"))).jwt());
    }

    @Test
    void aClientsTokensLeaveOnceTheLastIsPastItsWindow() {
        ReissueWindow window = window();
        issue(window, CLIENT, grant(List.of("read")));
        clock.advance(Duration.ofSeconds(200));
        issue(window, CLIENT, grant(List.of("write")));
        assertEquals(2, window.held());
        clock.advance(Duration.ofSeconds(200));
        // read's window (300 s left of 600) ended at 400 s; write's is open until 500 s.
        assertEquals(2, window.held(), "dropped when the client's next token is kept, or with the client's last");
        clock.advance(Duration.ofSeconds(101));
        assertEquals(0, window.held(), "though the client never asks again");
    }

    @Test
    void aClientThatOptedOutTheAdminTokensAndAWindowTurnedOffAlwaysGetNewTokens() {
        ReissueWindow window = window();
        ClientSnapshot optedOut = client("opted-out", 1, false);
        AccessGrant itsGrant = grant(optedOut, List.of("read"), List.of("https://api.example"));
        assertNotEquals(issue(window, optedOut, itsGrant).jwt(), issue(window, optedOut, itsGrant).jwt());

        AccessGrant admin = grant(CLIENT, List.of("admin"), List.of(ADMIN.audience()));
        assertNotEquals(issue(window, CLIENT, admin).jwt(), issue(window, CLIENT, admin).jwt());

        ReissueWindow off = window(false, 0.5, 100, 8);
        assertNotEquals(issue(off, CLIENT, grant(List.of("read"))).jwt(), issue(off, CLIENT, grant(List.of("read"))).jwt());
        assertEquals(0.0, reissued());
        assertEquals(0, window.held());
    }

    @Test
    void aClientKeepsItsMostRecentRequestsUpToItsBound() {
        ReissueWindow window = window(true, 0.5, 100, 2);
        AccessToken read = issue(window, CLIENT, grant(List.of("read")));
        AccessToken write = issue(window, CLIENT, grant(List.of("write")));
        AccessToken both = issue(window, CLIENT, grant(List.of("read", "write")));
        assertEquals(2, window.held());
        assertEquals(both.jwt(), issue(window, CLIENT, grant(List.of("read", "write"))).jwt());
        assertEquals(write.jwt(), issue(window, CLIENT, grant(List.of("write"))).jwt());
        assertNotEquals(read.jwt(), issue(window, CLIENT, grant(List.of("read"))).jwt(), "the oldest request was dropped");
    }

    @Test
    void theReplicaKeepsAtMostItsBoundOverAllClients() {
        ReissueWindow window = window(true, 0.5, 50, 8);
        for (int i = 0; i < 500; i++) {
            ClientSnapshot client = client("client-" + i, 1, true);
            issue(window, client, grant(client, List.of("read"), List.of("https://api.example")));
        }
        assertEquals(50, window.held(), "weight-bounded: evicted as they come");
    }

    @Test
    void settingsOutsideTheirRangeRefuseToStart() {
        assertThrows(IllegalArgumentException.class, () -> window(true, 1.5, 100, 8));
        assertThrows(IllegalArgumentException.class, () -> window(true, -0.1, 100, 8));
        assertThrows(IllegalArgumentException.class, () -> window(true, 0.5, 0, 8));
        assertThrows(IllegalArgumentException.class, () -> window(true, 0.5, 100, 0));
    }

    static TokenServiceConfig.Reissue settings(boolean enabled, double minRemaining, int maxEntries, int perClient) {
        return new TokenServiceConfig.Reissue() {
            @Override
            public boolean enabled() {
                return enabled;
            }

            @Override
            public double minRemaining() {
                return minRemaining;
            }

            @Override
            public int maxEntries() {
                return maxEntries;
            }

            @Override
            public int maxEntriesPerClient() {
                return perClient;
            }
        };
    }
}
