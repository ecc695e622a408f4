package io.tokenservice.database;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Re-reads something from the database every interval on a Vert.x timer: a run still going when the next is due
 * is skipped, never doubled up; a run that has not finished within its timeout is abandoned (a black-holed
 * connection would otherwise hold it for TCP's quarter of an hour); a failed run is logged and the next one tries
 * again. What was read last stays in use meanwhile. Stop it with {@link #stop}.
 */
public final class PeriodicRefresh {

    private static final Logger LOG = Logger.getLogger(PeriodicRefresh.class);

    private final Vertx vertx;
    private final long timer;
    private final AtomicBoolean running = new AtomicBoolean();

    private PeriodicRefresh(Vertx vertx, Duration interval, Duration timeout, String what, Supplier<Uni<?>> refresh) {
        this.vertx = vertx;
        this.timer = vertx.setPeriodic(interval.toMillis(), id -> {
            if (running.compareAndSet(false, true)) {
                Uni.createFrom().deferred(refresh)
                        .ifNoItem().after(timeout).failWith(() -> new TimeoutException("no answer within " + timeout))
                        .eventually(() -> running.set(false)).subscribe().with(ignored -> { },
                        failure -> LOG.warnf("Cannot refresh %s, keeping what was read before: %s", what, failure));
            }
        });
    }

    /**
     * Starts running {@code refresh} every {@code interval}, each run abandoned after {@code timeout};
     * {@code what} names it in the log.
     */
    public static PeriodicRefresh every(Vertx vertx, Duration interval, Duration timeout, String what,
            Supplier<Uni<?>> refresh) {
        return new PeriodicRefresh(vertx, interval, timeout, what, refresh);
    }

    public void stop() {
        vertx.cancelTimer(timer);
    }
}
