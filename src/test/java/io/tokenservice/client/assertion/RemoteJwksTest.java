package io.tokenservice.client.assertion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import io.tokenservice.client.AuthenticationFailure;
import io.tokenservice.client.ClientAuthenticationException;
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
        @Override
        public Duration timeout() {
            return TIMEOUT;
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
        advance(Duration.ofMinutes(4));
        assertEquals("a", kid(current("/jwks")));
        assertEquals(1, server.requests("/jwks"));
        server.serve("/jwks", ClientAssertions.jwks(ClientAssertions.ec("b")));
        advance(Duration.ofMinutes(2));
        assertEquals("b", kid(current("/jwks")));
        assertEquals(2, server.requests("/jwks"));
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
        ClientAuthenticationException failure = assertThrows(ClientAuthenticationException.class, () -> current(path));
        assertEquals(AuthenticationFailure.KEYS_UNAVAILABLE, failure.reason());
    }
}
