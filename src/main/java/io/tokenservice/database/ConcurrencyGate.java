package io.tokenservice.database;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * At most {@code permits} calls at a time, the rest waiting in a queue of at most {@code maxQueued}; beyond that
 * a call fails at once with {@link StoreUnavailableException}. So a flood of lookups of unknown client ids takes
 * a few of the pool's connections, never all of them.
 */
public final class ConcurrencyGate {

    private final int permits;
    private final int maxQueued;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private int running;

    public ConcurrencyGate(int permits, int maxQueued) {
        this.permits = permits;
        this.maxQueued = maxQueued;
    }

    /** Runs {@code call} when a permit is free, in arrival order. */
    public <T> Uni<T> run(Supplier<Uni<T>> call) {
        return Uni.createFrom().emitter(emitter -> {
            Runnable start = () -> call.get().eventually(this::release)
                    .subscribe().with(emitter::complete, emitter::fail);
            if (!admit(start)) {
                emitter.fail(new StoreUnavailableException(new RejectedExecutionException("too many lookups waiting")));
            }
        });
    }

    /** How many calls run now, for tests and metrics. */
    public synchronized int running() {
        return running;
    }

    private boolean admit(Runnable start) {
        synchronized (this) {
            if (running >= permits) {
                if (waiting.size() >= maxQueued) {
                    return false;
                }
                waiting.add(start);
                return true;
            }
            running++;
        }
        start.run();
        return true;
    }

    private void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running--;
                return;
            }
        }
        next.run();
    }
}
