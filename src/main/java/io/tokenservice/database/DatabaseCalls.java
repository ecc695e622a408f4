package io.tokenservice.database;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.tokenservice.config.TokenServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.ConnectException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Bounds every database call of a request by {@code token-service.database.timeout}: a call that does not answer
 * in time, or whose connection fails, fails with {@link StoreUnavailableException}. Other failures (a constraint,
 * a lost optimistic-lock race) pass through for the caller or the edge to name. Use with {@code Uni.plug}.
 */
@ApplicationScoped
public class DatabaseCalls {

    private static final Logger LOG = Logger.getLogger(DatabaseCalls.class);
    private static final String OK = "ok";
    private static final String TIMEOUT = "timeout";
    private static final String UNAVAILABLE = "unavailable";
    private static final String FAILED = "failed";

    private final Duration timeout;
    private final Map<String, Timer> calls = new HashMap<>();

    @Inject
    DatabaseCalls(TokenServiceConfig config, MeterRegistry registry) {
        this(config.database().timeout(), registry);
    }

    /** Calls bounded by {@code timeout}, timed in a registry of their own (unit tests). */
    public DatabaseCalls(Duration timeout) {
        this(timeout, new SimpleMeterRegistry());
    }

    DatabaseCalls(Duration timeout, MeterRegistry registry) {
        this.timeout = timeout;
        // token_service_database_calls_seconds{outcome}: ok, timeout (past the bound), unavailable, failed.
        for (String outcome : List.of(OK, TIMEOUT, UNAVAILABLE, FAILED)) {
            calls.put(outcome, Timer.builder("token_service.database.calls")
                    .description("Database calls made within requests, bounded by token-service.database.timeout")
                    .tag("outcome", outcome)
                    .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
                            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
                            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(3))
                    .register(registry));
        }
    }

    /** {@code call}, failing with {@link StoreUnavailableException} when the database is away or slow. */
    public <T> Uni<T> bounded(Uni<T> call) {
        return Uni.createFrom().deferred(() -> {
            long started = System.nanoTime();
            return call.ifNoItem().after(timeout).failWith(TimeoutException::new)
                    .onItemOrFailure().invoke((item, failure) -> calls.get(outcome(failure))
                            .record(System.nanoTime() - started, TimeUnit.NANOSECONDS))
                    .onFailure(DatabaseCalls::isUnavailable).transform(DatabaseCalls::unavailable);
        });
    }

    private static String outcome(Throwable failure) {
        if (failure == null) {
            return OK;
        } else if (failure instanceof TimeoutException) {
            return TIMEOUT;
        }
        return isUnavailable(failure) ? UNAVAILABLE : FAILED;
    }

    /** {@code call}, failing with {@link StoreUnavailableException} whatever went wrong: for reads on a request path. */
    public <T> Uni<T> boundedRead(Uni<T> call) {
        return bounded(call).onFailure(failure -> !(failure instanceof StoreUnavailableException))
                .transform(DatabaseCalls::unavailable);
    }

    /** Whether {@code failure} says the database could not be reached or did not answer. */
    public static boolean isUnavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof StoreUnavailableException || cause instanceof ConnectException
                    || cause instanceof TimeoutException || cause instanceof io.vertx.sqlclient.ClosedConnectionException) {
                return true;
            }
        }
        return false;
    }

    private static StoreUnavailableException unavailable(Throwable failure) {
        if (failure instanceof StoreUnavailableException known) {
            return known;
        }
        LOG.warnf("Database unavailable: %s", failure.toString());
        return new StoreUnavailableException(failure);
    }
}
