package io.tokenservice.jose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.testing.ClientAssertions;
import io.tokenservice.testing.JwksServer;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.jose4j.jwk.JsonWebKeySet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fetching clients' key sets: caching, refetch intervals and limits, against a real HTTP server and a moved clock. */
class RemoteJwksTest {

    static final Duration TIMEOUT = Duration.ofMillis(500);

    final Vertx vertx = Vertx.vertx();
    final JwksServer server = new JwksServer();
    final AtomicLong nanos = new AtomicLong(1);
    final RemoteJwks remote = new RemoteJwks(vertx, nanos::get, new Limits());

    static final class Limits implements TokenServiceConfig.Assertions.Jwks {
        private final Duration timeout;

        Limits() {
            this(TIMEOUT);
        }

        Limits(Duration timeout) {
            this.timeout = timeout;
        }

        @Override
        public Duration timeout() {
            return timeout;
        }

        @Override
        public int maxBytes() {
            return 8192;
        }

        @Override
        public Duration cacheFor() {
            return Duration.ofMinutes(5);
        }

        @Override
        public Duration maxStale() {
            return Duration.ofMinutes(30);
        }

        @Override
        public Duration minRefetchInterval() {
            return Duration.ofSeconds(30);
        }

        @Override
        public int maxCached() {
            return 100;
        }

        @Override
        public boolean allowHttp() {
            return true;
        }

        @Override
        public java.util.Optional<java.util.List<java.nio.file.Path>> trustCertificates() {
            return java.util.Optional.empty();
        }
    }

    @AfterEach
    void stop() {
        server.close();
        vertx.close();
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    private JsonWebKeySet current(String path) {
        return remote.current(server.url(path)).await().atMost(Duration.ofSeconds(5));
    }

    private JsonWebKeySet refreshed(String path) {
        return remote.refreshed(server.url(path)).await().atMost(Duration.ofSeconds(5));
    }

    private static String kid(JsonWebKeySet keys) {
        return keys.getJsonWebKeys().get(0).getKeyId();
    }

    @Test
    void aFetchedSetIsUsedUntilCacheForThenFetchedAgain() {
        server.serve("/jwks", ClientAssertions.jwks(ClientAssertions.ec("a")));
        assertEquals("a", kid(current("/jwks")));
        advance(Duration.ofMinutes(2));
        assertEquals("a", kid(current("/jwks")));
        assertEquals(1, server.requests("/jwks"));
        server.serve("/jwks", ClientAssertions.jwks(ClientAssertions.ec("b")));
        // Unused for longer than cache-for: the next request fetches it.
        advance(Duration.ofMinutes(4));
        assertEquals("b", kid(current("/jwks")));
        assertEquals(2, server.requests("/jwks"));
    }

    /** Issue 18, point 7 (e): every cache-for, a request waited for the refetch of the set it used. */
    @Test
    void aSetInUseIsFetchedAgainInTheBackgroundSoNoRequestWaitsForIt() throws Exception {
        // A fetch bound well above the slow answer below: on a loaded machine the refetch must not time out (it would
        // not be tried again within min-refetch-interval, and the clock here does not move).
        RemoteJwks remote = new RemoteJwks(vertx, nanos::get, new Limits(Duration.ofSeconds(5)));
        String url = server.url("/jwks");
        server.serve("/jwks", ClientAssertions.jwks(ClientAssertions.ec("a")));
        remote.current(url).await().atMost(Duration.ofSeconds(5));
        // Past half of cache-for the owner's URL has become slow: the request goes on with the set it has.
        server.serve("/jwks", 200, ClientAssertions.jwks(ClientAssertions.ec("b")), Duration.ofMillis(300));
        advance(Duration.ofMinutes(3));
        long started = System.nanoTime();
        assertEquals("a", kid(remote.current(url).await().atMost(Duration.ofSeconds(5))));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 200, "the request waited for the refetch");
        io.tokenservice.testing.Eventually.within(Duration.ofSeconds(10),
                () -> assertEquals("b", kid(remote.current(url).await().atMost(Duration.ofSeconds(5)))));
        assertEquals(2, server.requests("/jwks"));
    }

    // Issue 18, point 5: fetched sets were not kept to the rules of registered ones.

    @Test
    void aFetchedSetOfMoreThanTwentyKeysIsRefused() {
        com.nimbusds.jose.jwk.JWK[] keys = new com.nimbusds.jose.jwk.JWK[21];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = ClientAssertions.ec("k" + i);
        }
        server.serve("/many", ClientAssertions.jwks(keys));
        assertUnavailable("/many");
    }

    @Test
    void aFetchedSetWhoseKeysShareAKidIsRefused() {
        server.serve("/shared", ClientAssertions.jwks(ClientAssertions.ec("same"), ClientAssertions.ec("same")));
        assertUnavailable("/shared");
    }

    @Test
    void fetchedKeysOutsideTheRulesAreNoCandidates() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(new java.security.spec.RSAKeyGenParameterSpec(2048,
                java.math.BigInteger.ONE.shiftLeft(1000).add(java.math.BigInteger.ONE)));
        com.nimbusds.jose.jwk.RSAKey hugeExponent = new com.nimbusds.jose.jwk.RSAKey.Builder(
                (java.security.interfaces.RSAPublicKey) generator.generateKeyPair().getPublic()).keyID("huge-e").build();
        com.nimbusds.jose.jwk.RSAKey small = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(1024, true).keyID("small")
                .generate();
        com.nimbusds.jose.jwk.ECKey encryption = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(
                com.nimbusds.jose.jwk.Curve.P_256).keyID("enc").keyUse(com.nimbusds.jose.jwk.KeyUse.ENCRYPTION).generate();
        server.serve("/mixed", ClientAssertions.jwks(hugeExponent, small, encryption, ClientAssertions.ec("good")));
        assertEquals(java.util.List.of("good"), current("/mixed").getJsonWebKeys().stream()
                .map(org.jose4j.jwk.JsonWebKey::getKeyId).toList());
    }

    @Test
    void anUnknownKidRefetchesAtMostOncePerInterval() {
        server.serve("/jwks", ClientAssertions.jwks(ClientAssertions.ec("a")));
        current("/jwks");
        server.serve("/jwks", ClientAssertions.jwks(ClientAssertions.ec("b")));
        advance(Duration.ofSeconds(10));
        assertEquals("a", kid(refreshed("/jwks")), "within the interval the set is not fetched again");
        assertEquals(1, server.requests("/jwks"));
        advance(Duration.ofSeconds(25));
        assertEquals("b", kid(refreshed("/jwks")));
        assertEquals("b", kid(refreshed("/jwks")));
        assertEquals(2, server.requests("/jwks"));
    }

    @Test
    void aFailedRefetchKeepsTheSetFetchedBefore() {
        server.serve("/jwks", ClientAssertions.jwks(ClientAssertions.ec("a")));
        current("/jwks");
        server.serve("/jwks", 503, "{}", Duration.ZERO);
        advance(Duration.ofMinutes(6));
        assertEquals("a", kid(current("/jwks")));
    }

    /** Issue 14 review, finding 4: a URL taken down kept its last keys for ever. */
    @Test
    void aSetIsKeptThroughFailedRefetchesForMaxStaleThenNoLonger() {
        server.serve("/jwks", ClientAssertions.jwks(ClientAssertions.ec("a")));
        current("/jwks");
        server.serve("/jwks", 404, "{}", Duration.ZERO);
        advance(Duration.ofMinutes(29));
        assertEquals("a", kid(current("/jwks")));
        advance(Duration.ofMinutes(2));
        assertUnavailable("/jwks");
    }

    @Test
    void withoutFetchingOnlyAFreshSetIsUsed() {
        server.serve("/jwks", ClientAssertions.jwks(ClientAssertions.ec("a")));
        current("/jwks");
        assertEquals("a", kid(remote.fresh(server.url("/jwks")).orElseThrow()));
        advance(Duration.ofMinutes(6));
        assertTrue(remote.fresh(server.url("/jwks")).isEmpty(), "past cache-for, a request that may not fetch has no keys");
    }

    @Test
    void aUrlThatFailedIsNotTriedAgainWithinTheInterval() {
        server.serve("/down", 500, "{}", Duration.ZERO);
        assertUnavailable("/down");
        assertUnavailable("/down");
        assertEquals(1, server.requests("/down"));
        advance(Duration.ofSeconds(31));
        assertUnavailable("/down");
        assertEquals(2, server.requests("/down"));
    }

    @Test
    void aSlowUrlFailsWithinTheTimeout() {
        server.serve("/slow", 200, ClientAssertions.jwks(ClientAssertions.ec("a")), Duration.ofSeconds(3));
        long started = System.nanoTime();
        assertUnavailable("/slow");
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(2)) < 0);
    }

    @Test
    void aSetOverTheSizeLimitIsRefusedWhetherItsLengthIsAnnouncedOrNot() {
        String huge = "{\"keys\":[],\"padding\":\"" + "x".repeat(10_000) + "\"}";
        server.serve("/announced", huge);
        server.serveChunked("/chunked", huge);
        assertUnavailable("/announced");
        assertUnavailable("/chunked");
    }

    @Test
    void aRedirectIsNotFollowed() {
        server.serve("/moved", 302, "{\"keys\":[]}", Duration.ZERO);
        assertUnavailable("/moved");
    }

    @Test
    void aDocumentThatIsNotAJwkSetIsRefused() {
        server.serve("/html", "<html>not keys</html>");
        assertUnavailable("/html");
    }

    private void assertUnavailable(String path) {
        JwtRejectedException failure = assertThrows(JwtRejectedException.class, () -> current(path));
        assertEquals(JwtRejectedException.Reason.KEYS_UNAVAILABLE, failure.reason());
    }
}
