package io.tokenservice.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * One application for two test classes whose settings do not meet (each application boot costs seconds): client
 * change notifications off with a 4 s max-staleness (ClientCacheWithoutNotificationsTest, which never fails an
 * authentication), and small budgets behind a trusted proxy (ThrottlingTest and BehindHaproxyTest, which never rely
 * on the client cache's timing).
 */
public class NoNotificationsSmallBudgets implements QuarkusTestProfile {

    public static final long MAX_STALENESS_MILLIS = 4_000;
    public static final int SINGLE_USE_ASSERTIONS_PER_MINUTE = 4;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("token-service.cache.clients.listen", "false",
                "token-service.cache.clients.max-staleness", MAX_STALENESS_MILLIS + "ms",
                "token-service.throttle.failures-per-source-per-minute", "5",
                "token-service.throttle.failures-per-client-per-minute", "3",
                "token-service.assertions.single-use-per-client-per-minute", String.valueOf(SINGLE_USE_ASSERTIONS_PER_MINUTE),
                "quarkus.http.proxy.proxy-address-forwarding", "true",
                "quarkus.http.proxy.allow-x-forwarded", "true",
                "quarkus.http.proxy.trusted-proxies", "127.0.0.1");
    }
}
