package io.tokenservice.key;

import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.tokenservice.config.TokenServiceConfig;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Where access tokens are signed: a pool of {@code token-service.signing.threads} threads (default one per core) that
 * takes signatures first come, first served from every connection, and hands each result back on the caller's
 * Vert.x context. On the event loops themselves, each loop would sign for its own connections only, so a loop that
 * lost its core for a moment (to the others, to the load, to the JIT) would hold up every request on it while
 * others idled: measured on two cores at 16 connections, p99/p50 of new tokens fell from 2.2–2.5 to 1.6–1.9
 * (BENCHMARKS.md). A signature is CPU only (about a millisecond of RS256), so threads beyond the cores buy nothing.
 * At most {@code token-service.signing.max-queued} signatures wait; beyond that a request is answered
 * {@link SigningSaturatedException} (503, retry shortly), never queued without bound. With {@code threads=0} tokens
 * are signed on the event loop, as before there was a lane.
 */
@ApplicationScoped
public class SigningLane {

    private final ThreadPoolExecutor pool;

    @Inject
    SigningLane(TokenServiceConfig config) {
        this(config.signing().threads().orElse(Runtime.getRuntime().availableProcessors()), config.signing().maxQueued());
    }

    public SigningLane(int threads, int maxQueued) {
        if (threads < 0 || maxQueued < 1) {
            throw new IllegalArgumentException("token-service.signing.threads must be 0 or more and "
                    + "token-service.signing.max-queued at least 1");
        }
        AtomicInteger count = new AtomicInteger();
        this.pool = threads == 0 ? null : new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(maxQueued), work -> {
                    Thread thread = new Thread(work, "token-signing-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    // Not whichever thread first submitted: the application's, where SmallRye JWT finds its config.
                    thread.setContextClassLoader(SigningLane.class.getClassLoader());
                    return thread;
                });
    }

    /**
     * The result of {@code signing}, computed on the lane and delivered on the caller's context; its failure likewise.
     * Fails with {@link SigningSaturatedException} when the lane's queue is full.
     */
    public <T> Uni<T> sign(Supplier<T> signing) {
        if (pool == null) {
            return Uni.createFrom().item(signing);
        }
        return Uni.createFrom().emitter(emitter -> {
            io.vertx.core.Context caller = Vertx.currentContext();
            Runnable work = Context.current().wrap(() -> {
                T result;
                try {
                    result = signing.get();
                } catch (Throwable failure) {
                    resume(caller, () -> emitter.fail(failure));
                    return;
                }
                resume(caller, () -> emitter.complete(result));
            });
            try {
                pool.execute(work);
                // A request given up (its client went away) leaves the queue unsigned.
                emitter.onTermination(() -> pool.remove(work));
            } catch (RejectedExecutionException full) {
                emitter.fail(new SigningSaturatedException());
            }
        });
    }

    private static void resume(io.vertx.core.Context caller, Runnable continuation) {
        if (caller == null) {
            continuation.run();
            return;
        }
        try {
            caller.runOnContext(ignored -> continuation.run());
        } catch (RuntimeException closed) {
            // The caller's event loop is gone (shutting down): answer here rather than never.
            continuation.run();
        }
    }

    /** Signatures queued now; for tests. */
    int queued() {
        return pool == null ? 0 : pool.getQueue().size();
    }

    @PreDestroy
    void shutdown() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
