package io.tokenservice.endpoint;

import static io.tokenservice.testing.TokenRequests.basicRaw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.testing.EmbeddedPostgresResource;
import io.tokenservice.testing.Haproxy;
import io.tokenservice.testing.NoNotificationsSmallBudgets;
import io.tokenservice.testing.TestClients;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, point 3: behind a proxy trusted through {@code quarkus.http.proxy.*}, the failure budgets keyed on the
 * leftmost X-Forwarded-For entry, the one the client wrote. Here a real HAProxy with {@code option forwardfor}
 * (which appends) stands in front; clients connect from loopback addresses of their own and write X-Forwarded-For
 * as they please. Budgets: 5 failures per source (NoNotificationsSmallBudgets), 127.0.0.1 (HAProxy) trusted.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@TestProfile(NoNotificationsSmallBudgets.class)
class BehindHaproxyTest {

    static Haproxy haproxy;

    @Inject
    DataSource dataSource;

    @Inject
    SecretHasher hasher;

    @BeforeEach
    void start() throws Exception {
        // CI installs Debian's haproxy (.ci/run), so there the test always runs; elsewhere it needs it too.
        Assumptions.assumeTrue(Haproxy.installed() || "true".equals(System.getenv("CI")), "Debian's haproxy is not installed");
        if (haproxy == null) {
            // The application's port is known here, not before the first test.
            haproxy = Haproxy.inFrontOf(RestAssured.port);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (haproxy != null) {
            haproxy.close();
        }
    }

    private static int token(String from, String clientId, String secret, String xForwardedFor) throws Exception {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        headers.put("Authorization", basicRaw(clientId, secret));
        if (xForwardedFor != null) {
            headers.put("X-Forwarded-For", xForwardedFor);
        }
        return haproxy.post(from, "/oauth2/token", headers, "grant_type=client_credentials");
    }

    private static String randomAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "198.51." + random.nextInt(256) + "." + random.nextInt(1, 255);
    }

    @Test
    void aFloodWithARandomForwardedAddressPerRequestIsThrottled() throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            statuses.add(token("127.0.0.3", "flood-" + i, "wrong", randomAddress()));
        }
        assertEquals(List.of(403, 403, 403, 403, 403), statuses.subList(0, 5), statuses.toString());
        assertTrue(statuses.subList(5, 12).stream().allMatch(status -> status == 429), statuses.toString());
    }

    @Test
    void nobodyCanSpendAnotherAddresssBudgetByNamingIt() throws Exception {
        var victim = new TestClients(dataSource, hasher).client().register();
        List<Integer> attacker = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            attacker.add(token("127.0.0.4", "framed-" + i, "wrong", "127.0.0.5"));
        }
        // The attacker spent its own budget, not the address it wrote.
        assertEquals(429, attacker.get(5), attacker.toString());
        assertEquals(200, token("127.0.0.5", victim.clientId(), victim.secret(), null));
        assertEquals(403, token("127.0.0.5", "victims-typo", "wrong", null));
    }
}
