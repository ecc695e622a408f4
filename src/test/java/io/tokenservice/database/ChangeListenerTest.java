package io.tokenservice.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.Eventually;
import io.tokenservice.testing.TcpProxy;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 11, defect 6: the LISTEN connection retries from its first attempt, with the datasource's TLS settings. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class ChangeListenerTest {

    @Inject
    Vertx vertx;

    @Inject
    @io.quarkus.arc.All
    List<ChangeChannel> channels;

    private static int databasePort() {
        return System.getenv("DB_HOST") != null ? Integer.parseInt(System.getenv().getOrDefault("DB_PORT", "5432"))
                : EmbeddedPostgresResource.port();
    }

    /** The test database's connection options, through {@code proxy}. */
    private static PgConnectOptions through(TcpProxy proxy) {
        return ChangeListener.connectOptions(
                "postgresql://127.0.0.1:" + proxy.port() + "/" + System.getenv().getOrDefault("DB_NAME", "postgres"),
                System.getenv().getOrDefault("DB_USER", "postgres"), System.getenv().getOrDefault("DB_PASSWORD", ""),
                Optional.empty(), false, Optional.empty(), Optional.empty());
    }

    @Test
    void aDatabaseAwayAtStartupIsListenedToOnceItAnswers() throws Exception {
        try (TcpProxy proxy = new TcpProxy(databasePort())) {
            proxy.mode(TcpProxy.Mode.REFUSE);
            ChangeListener listener = new ChangeListener(vertx, channels, true, through(proxy),
                    Duration.ofSeconds(30), Duration.ofSeconds(3));
            listener.start();
            try {
                // Refused once and tried again (after its 1 s backoff): still nothing subscribed, nothing listening.
                Eventually.within(Duration.ofSeconds(10), () -> assertTrue(proxy.accepted() >= 2, "never tried again"));
                assertEquals(0, listener.subscriptions());
                org.junit.jupiter.api.Assertions.assertFalse(listener.listening());
                proxy.mode(TcpProxy.Mode.FORWARD);
                Eventually.within(Duration.ofSeconds(15),
                        () -> assertTrue(listener.subscriptions() > 0, "never subscribed after the database came back"));
                Eventually.within(Duration.ofSeconds(5), () -> assertTrue(listener.listening(),
                        "every channel subscribed on the live connection"));
            } finally {
                listener.stop();
            }
        }
    }

    /**
     * Issue 18 review: a listening connection that a NAT or load balancer forgot carries nothing, never errs, and
     * would leave the replica deaf to every change. The heartbeat finds it silent and connects again.
     */
    @Test
    void aConnectionThatFellSilentIsMadeAgain() throws Exception {
        try (TcpProxy proxy = new TcpProxy(databasePort())) {
            ChangeListener listener = new ChangeListener(vertx, channels, true, through(proxy),
                    Duration.ofMillis(500), Duration.ofMillis(500));
            listener.start();
            try {
                Eventually.within(Duration.ofSeconds(15), () -> assertTrue(listener.subscriptions() > 0, "never subscribed"));
                Eventually.within(Duration.ofSeconds(5), () -> assertTrue(listener.listening()));
                int connections = proxy.accepted();
                proxy.freeze();
                Eventually.within(Duration.ofSeconds(10),
                        () -> assertTrue(proxy.accepted() > connections, "the silent connection was never given up"));
                // Reconnecting, nothing subscribed on the new connection yet: what is held may have missed changes.
                org.junit.jupiter.api.Assertions.assertFalse(listener.listening());
                // Once the path carries traffic again, the listener is subscribed afresh (and told it may have missed).
                int subscribed = listener.subscriptions();
                proxy.mode(TcpProxy.Mode.FORWARD);
                Eventually.within(Duration.ofSeconds(15),
                        () -> assertTrue(listener.subscriptions() > subscribed, "never subscribed again"));
                Eventually.within(Duration.ofSeconds(5), () -> assertTrue(listener.listening()));
            } finally {
                listener.stop();
                org.junit.jupiter.api.Assertions.assertFalse(listener.listening());
            }
        }
    }

    @Test
    void theListenConnectionUsesTheDatasourcesTlsSettings() {
        PgConnectOptions options = ChangeListener.connectOptions("postgresql://db.internal:5432/tokens", "svc",
                "pw", Optional.of("verify-full"), false, Optional.of(List.of("/etc/ssl/db-ca.pem")), Optional.of("HTTPS"));
        assertEquals(SslMode.VERIFY_FULL, options.getSslMode());
        assertEquals(List.of("/etc/ssl/db-ca.pem"), options.getPemTrustOptions().getCertPaths());
        assertEquals("HTTPS", options.getHostnameVerificationAlgorithm());
        assertEquals("db.internal", options.getHost());
        assertEquals("svc", options.getUser());
    }
}
