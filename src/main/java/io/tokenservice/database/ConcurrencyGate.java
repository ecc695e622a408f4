package io.tokenservice.database;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * At most {@code permits} calls at a time, the rest waiting in a queue of at most {@code maxQueued}; beyond that
 * a call fails at once with {@link StoreUnavailableException}. So a flood of lookups of unknown client ids takes
 * a few of the pool's connections, never all of them. A permit is given back however the call ends (a call that
 * throws included); a waiting call starts on its own caller's Vert.x context, and one whose caller has gone
 * (cancelled, timed out) is skipped.
 */
public final class ConcurrencyGate {

    private final int permits;
    private final int maxQueued;
    private final Queue<Waiter<?>> waiting = new ArrayDeque<>();
    private int running;

    public ConcurrencyGate(int permits, int maxQueued) {
        this.permits = permits;
        this.maxQueued = maxQueued;
    }

    private final class Waiter<T> {
        private final Supplier<Uni<T>> call;
        private final UniEmitter<? super T> emitter;
        private final Context context;
        // Set when its caller stopped waiting (cancelled or timed out) before it started.
        private final AtomicBoolean gone = new AtomicBoolean();

        Waiter(Supplier<Uni<T>> call, UniEmitter<? super T> emitter, Context context) {
            this.call = call;
            this.emitter = emitter;
            this.context = context;
            emitter.onTermination(() -> gone.set(true));
        }

        void start() {
            Uni.createFrom().<T>deferred(call::get).eventually(ConcurrencyGate.this::release)
                    .subscribe().with(emitter::complete, emitter::fail);
        }

        void startOnItsContext() {
            if (context == null) {
                start();
            } else {
                context.runOnContext(ignored -> start());
            }
        }
    }

    /** Runs {@code call} when a permit is free, in arrival order. */
    public <T> Uni<T> run(Supplier<Uni<T>> call) {
        return Uni.createFrom().emitter(emitter -> {
            Waiter<T> waiter = new Waiter<>(call, emitter, Vertx.currentContext());
            boolean startNow;
            synchronized (this) {
                startNow = running < permits;
                if (startNow) {
                    running++;
                } else if (waiting.size() < maxQueued) {
                    waiting.add(waiter);
                } else {
                    emitter.fail(new StoreUnavailableException(new RejectedExecutionException("too many lookups waiting")));
                    return;
                }
            }
            if (startNow) {
                waiter.start();
            }
        });
    }

    /** How many calls run now, for tests and metrics. */
    public synchronized int running() {
        return running;
    }

    private void release() {
        Waiter<?> next;
        synchronized (this) {
            do {
                next = waiting.poll();
            } while (next != null && next.gone.get());
            if (next == null) {
                running--;
                return;
            }
        }
        // The permit passes to the next waiter, which starts on its own context, not on this call's stack.
        next.startOnItsContext();
    }
}
