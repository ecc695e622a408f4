package io.tokenservice.testing;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokenservice.client.AuthenticationFailure;
import java.util.Locale;

/**
 * A token request refused with invalid_client for the reason a test names: the wire says only invalid_client, so
 * the reason is read where the service counts it ({@code token_service_authentication_failures_total{reason}}).
 */
public final class Refusals {

    private Refusals() {
    }

    /** Sends the token request {@code body}; asserts 403 invalid_client, counted once as {@code reason}. */
    public static void refused(MeterRegistry registry, String body, AuthenticationFailure reason) {
        Counter counter = registry.counter("token_service.authentication.failures", "reason",
                reason.name().toLowerCase(Locale.ROOT));
        double before = counter.count();
        TokenRequests.form(body).post("/oauth2/token").then().statusCode(403).body("error", equalTo("invalid_client"));
        assertEquals(before + 1, counter.count(), "refused as " + reason);
    }
}
