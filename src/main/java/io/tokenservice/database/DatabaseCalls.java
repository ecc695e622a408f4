package io.tokenservice.database;

import io.smallrye.mutiny.Uni;
import io.tokenservice.config.TokenServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.ConnectException;
import java.time.Duration;
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

    private final Duration timeout;

    @Inject
    DatabaseCalls(TokenServiceConfig config) {
        this(config.database().timeout());
    }

    public DatabaseCalls(Duration timeout) {
        this.timeout = timeout;
    }

    /** {@code call}, failing with {@link StoreUnavailableException} when the database is away or slow. */
    public <T> Uni<T> bounded(Uni<T> call) {
        return call.ifNoItem().after(timeout).failWith(TimeoutException::new)
                .onFailure(DatabaseCalls::isUnavailable).transform(DatabaseCalls::unavailable);
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
