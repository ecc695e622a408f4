package io.tokenservice.token;

import static io.restassured.RestAssured.given;
import static io.tokenservice.testing.TokenRequests.basicRaw;
import static io.tokenservice.testing.TokenRequests.clientCredentials;
import static io.tokenservice.testing.TokenRequests.form;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.database.ChangeListener;
import io.tokenservice.testing.AdminTokens;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.TcpProxy;
import io.tokenservice.testing.TestClients;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The database goes away behind a proxy: clients the replica has cached keep getting tokens; others get 503
 * with Retry-After within the configured bound, never hang, and succeed by themselves once the database is back.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@TestProfile(DatabaseOutageTest.BehindProxy.class)
class DatabaseOutageTest {

    static TcpProxy proxy;

    public static class BehindProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String host = System.getenv().getOrDefault("DB_HOST", "localhost");
            int port = System.getenv("DB_HOST") != null
                    ? Integer.parseInt(System.getenv().getOrDefault("DB_PORT", "5432"))
                    : EmbeddedPostgresResource.port();
            if (!host.equals("localhost") && !host.equals("127.0.0.1")) {
                throw new IllegalStateException("the outage test proxies a database on loopback only");
            }
            try {
                proxy = new TcpProxy(port);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("DB_HOST", "127.0.0.1", "DB_PORT", String.valueOf(proxy.port()),
                    "token-service.database.timeout", "1s",
                    // the fixtures' JDBC connections go through the proxy too: drop the ones an outage broke
                    "quarkus.datasource.jdbc.validate-on-borrow", "true");
        }
    }

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    @Inject
    ChangeListener listener;

    /**
     * Every test starts with the database reachable and the change listener subscribed afresh: restoring the
     * proxy drops the listener's connection, and its resubscription drops the whole client cache.
     */
    @BeforeEach
    void databaseBack() throws InterruptedException {
        int before = listener.subscriptions();
        proxy.mode(TcpProxy.Mode.FORWARD);
        // The listener retries with backoff up to 5 s: wait for its resubscription (which drops the cache) before
        // the test relies on what it caches.
        long deadline = System.currentTimeMillis() + 15_000;
        while (listener.subscriptions() == before && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        // And until it has settled: a second resubscription (a reconnect of the connection the outage broke,
        // landing after the first) would drop the cache in the middle of a test that relies on it; a CI run
        // caught one, as a 503 for a client cached a moment before.
        int settled = listener.subscriptions();
        long quietSince = System.currentTimeMillis();
        while (System.currentTimeMillis() - quietSince < 1_000 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            if (listener.subscriptions() != settled) {
                settled = listener.subscriptions();
                quietSince = System.currentTimeMillis();
            }
        }
    }

    @Test
    void unansweringDatabaseIs503WithRetryAfterWithinTheBoundAndRecovers() throws Exception {
        outageIsBoundedAndRecovers(TcpProxy.Mode.HANG);
    }

    @Test
    void refusingDatabaseIs503WithRetryAfterAndRecovers() throws Exception {
        outageIsBoundedAndRecovers(TcpProxy.Mode.REFUSE);
    }

    @Test
    void cachedClientKeepsGettingTokensWhileTheDatabaseIsAway() {
        var client = new TestClients(dataSource, hasher).client().register();
        clientCredentials(client.clientId(), client.secret()).post("/oauth2/token").then().statusCode(200);
        proxy.mode(TcpProxy.Mode.REFUSE);
        for (int i = 0; i < 5; i++) {
            clientCredentials(client.clientId(), client.secret()).post("/oauth2/token").then().statusCode(200);
        }
    }

    @Test
    void revocationWhileTheDatabaseHangsIs503WithinTheBoundAndChangesNothing() {
        var client = new TestClients(dataSource, hasher).client().register();
        String token = clientCredentials(client.clientId(), client.secret()).post("/oauth2/token").then()
                .statusCode(200).extract().path("access_token");
        proxy.mode(TcpProxy.Mode.HANG);
        long start = System.nanoTime();
        form("token=" + token).header("Authorization", basicRaw(client.clientId(), client.secret()))
                .post("/oauth2/revoke").then()
                .statusCode(503)
                .header("Retry-After", "5")
                .body("error", equalTo("temporarily_unavailable"));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsedMillis < 2_500, "503 took " + elapsedMillis + " ms with a 1 s bound");
        form("token=" + token).header("Authorization", basicRaw(client.clientId(), client.secret()))
                .post("/oauth2/introspect").then().statusCode(200).body("active", equalTo(true));
    }

    @Test
    void adminApiWhileTheDatabaseHangsIs503WithinTheBound() {
        var admin = new TestClients(dataSource, hasher).client().administrator().register();
        String token = AdminTokens.issued(admin);
        proxy.mode(TcpProxy.Mode.HANG);
        long start = System.nanoTime();
        given().header("Authorization", "Bearer " + token).get("/admin/clients").then()
                .statusCode(503)
                .header("Retry-After", "5")
                .body("error", equalTo("temporarily_unavailable"));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsedMillis < 2_500, "503 took " + elapsedMillis + " ms with a 1 s bound");
    }

    @jakarta.inject.Inject
    io.tokenservice.federation.TrustedIssuers trustedIssuers;

    /**
     * Issue 18 review: a replica kept the keys of an issuer changed elsewhere until its re-read came back, and when
     * that read failed, for the whole refresh interval; it could accept a token signed with a key removed meanwhile.
     * An announced change drops what the replica held of that issuer at once, whatever becomes of the re-read.
     */
    @Test
    void anAnnouncedChangeToAnIssuerDropsWhatTheReplicaHeldOfItEvenWhenItsReReadHangs() throws Exception {
        String issuer = "https://outage-" + java.util.UUID.randomUUID() + ".example";
        io.tokenservice.testing.Sql.update(dataSource, "INSERT INTO token_service.trusted_issuer (name, issuer, jwks, "
                + "max_token_age) VALUES (?, ?, ?, 3600)", "outage-" + System.nanoTime(), issuer,
                io.tokenservice.testing.ClientAssertions.jwks(io.tokenservice.testing.ClientAssertions.ec("k1")));
        io.tokenservice.testing.Eventually.within(java.time.Duration.ofSeconds(10),
                () -> assertTrue(trustedIssuers.loaded(issuer).isPresent()));
        proxy.mode(TcpProxy.Mode.HANG);
        trustedIssuers.announced(issuer);
        assertTrue(trustedIssuers.loaded(issuer).isEmpty(), "still trusted as held before the change");
        Thread.sleep(1_500);
        assertTrue(trustedIssuers.loaded(issuer).isEmpty(), "trusted again while the database hangs");
    }

    private void outageIsBoundedAndRecovers(TcpProxy.Mode outage) throws Exception {
        // A client this replica has not seen yet: it must be read from the database.
        var client = new TestClients(dataSource, hasher).client().register();

        proxy.mode(outage);
        long start = System.nanoTime();
        clientCredentials(client.clientId(), client.secret()).post("/oauth2/token").then()
                .statusCode(503)
                .header("Retry-After", "5")
                .header("Cache-Control", "no-store")
                .body("error", equalTo("temporarily_unavailable"));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsedMillis < 2_500, "503 took " + elapsedMillis + " ms with a 1 s bound");
        io.tokenservice.testing.Management.given().get("/q/health/ready").then().statusCode(503);

        proxy.mode(TcpProxy.Mode.FORWARD);
        long deadline = System.currentTimeMillis() + 15_000;
        int status;
        do {
            status = clientCredentials(client.clientId(), client.secret()).post("/oauth2/token").statusCode();
            if (status != 200) {
                Thread.sleep(200);
            }
        } while (status != 200 && System.currentTimeMillis() < deadline);
        assertTrue(status == 200, "still " + status + " 15 s after the database came back");
        io.tokenservice.testing.Management.given().get("/q/health/ready").then().statusCode(200);
    }
}
