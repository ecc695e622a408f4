package io.tokenservice.error;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.tokenservice.client.AuthenticationFailure;
import io.tokenservice.client.ClientAuthenticationException;
import io.tokenservice.throttle.ThrottledException;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Counts the failures {@link ErrorMapper} answers: client authentication failures by named reason
 * ({@code token_service_authentication_failures_total{reason}}), requests refused by the budget that was spent
 * ({@code token_service_throttled_requests_total{limit}}), and every error response by its code and status
 * ({@code token_service_errors_total{error,status}}). The reasons and limits are registered at startup, so that a
 * reason that never happened reads 0 and an alert on its rate has a series to watch.
 */
@Startup
@Singleton
public class FailureMetrics {

    private final MeterRegistry registry;
    private final Map<AuthenticationFailure, Counter> authenticationFailures = new EnumMap<>(AuthenticationFailure.class);
    private final Map<ThrottledException.Limit, Counter> throttled = new EnumMap<>(ThrottledException.Limit.class);

    public FailureMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (AuthenticationFailure reason : AuthenticationFailure.values()) {
            authenticationFailures.put(reason, Counter.builder("token_service.authentication.failures")
                    .description("Failed client authentications by reason; every one is invalid_client on the wire")
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        for (ThrottledException.Limit limit : ThrottledException.Limit.values()) {
            throttled.put(limit, Counter.builder("token_service.throttled.requests")
                    .description("Requests refused with 429 slow_down, by the budget that was spent")
                    .tag("limit", limit.name().toLowerCase(Locale.ROOT)).register(registry));
        }
    }

    /** A failure answered with {@code error} and {@code status}; {@code cause} is the exception that named it. */
    void answered(Throwable cause, String error, int status) {
        if (cause instanceof ClientAuthenticationException e) {
            authenticationFailures.get(e.reason()).increment();
        } else if (cause instanceof ThrottledException e) {
            throttled.get(e.limit()).increment();
        }
        // Error codes are a closed set (OAuthError and the few ErrorMapper writes): a bounded tag.
        registry.counter("token_service.errors", "error", error, "status", String.valueOf(status)).increment();
    }
}
