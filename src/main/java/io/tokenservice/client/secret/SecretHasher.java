package io.tokenservice.client.secret;

import io.smallrye.mutiny.Uni;
import io.tokenservice.config.TokenServiceConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Creates and verifies salted slow hashes of client secrets. New hashes are Argon2id with the configured cost;
 * verification also reads PBKDF2-SHA256 and bcrypt, so clients imported from Ory Hydra or Spring Authorization
 * Server keep their secrets. All hashing runs on a bounded pool of its own, never on the event loop, and the
 * result is delivered back on the caller's Vert.x context. When the pool and its queue are full, or the
 * CPU budget of {@code token-service.hashing.max-cpu-cores} is spent, the returned {@link Uni} fails at once with
 * {@link HashingSaturatedException}.
 */
@ApplicationScoped
public class SecretHasher {

    /** One secret to check against one stored hash; a null hash means "no such client". */
    public record Check(String secret, String storedHash) {
    }

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private final Argon2idFormat argon2id;
    private final List<SecretHashFormat> formats;
    private final CompletableFuture<String> dummyHash;
    private final ThreadPoolExecutor pool;
    private final VerificationBudget budget;

    @Inject
    SecretHasher(TokenServiceConfig config) {
        this(config.hashing().argon2MemoryKib(), config.hashing().argon2Iterations(),
                config.hashing().argon2Parallelism(),
                config.hashing().workers().orElse(Runtime.getRuntime().availableProcessors()),
                config.hashing().queueSize(), config.hashing().maxCpuCores());
    }

    /** A hasher outside the container (unit tests), with no CPU budget. */
    public SecretHasher(int argon2MemoryKib, int argon2Iterations, int argon2Parallelism, int workers, int queueSize) {
        this(argon2MemoryKib, argon2Iterations, argon2Parallelism, workers, queueSize, 0);
    }

    SecretHasher(int argon2MemoryKib, int argon2Iterations, int argon2Parallelism, int workers, int queueSize,
            double maxCpuCores) {
        this.argon2id = new Argon2idFormat(argon2MemoryKib, argon2Iterations, argon2Parallelism);
        this.formats = List.of(argon2id, new Pbkdf2Sha256Format(), new BcryptFormat());
        this.budget = new VerificationBudget(maxCpuCores);
        AtomicInteger threads = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueSize), task -> {
                    Thread thread = new Thread(task, "secret-hasher-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        // What an unknown client is checked against, so that it costs what a wrong secret costs. Made on the
        // pool, off the startup path: a cold JVM takes a second or more for its first Argon2id.
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.dummyHash = CompletableFuture.supplyAsync(() -> argon2id.hash(random), pool);
    }

    /** A new Argon2id PHC string for {@code secret}. */
    public Uni<String> hash(String secret) {
        return offload(() -> argon2id.hash(secret.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Checks each pair in order and stops at the first that verifies.
     *
     * @return the index of the matching check, or empty; every check is computed when none matches
     */
    public Uni<OptionalInt> firstMatch(List<Check> checks) {
        if (!budget.tryAcquire()) {
            return Uni.createFrom().failure(new HashingSaturatedException());
        }
        return offload(() -> {
            long started = CPU.getCurrentThreadCpuTime();
            try {
                for (int i = 0; i < checks.size(); i++) {
                    Check check = checks.get(i);
                    boolean known = check.storedHash() != null;
                    boolean matches = verifyNow(check.secret(), known ? check.storedHash() : dummyHash.join());
                    if (matches && known) {
                        return OptionalInt.of(i);
                    }
                }
                return OptionalInt.empty();
            } finally {
                budget.charge(CPU.getCurrentThreadCpuTime() - started);
            }
        });
    }

    /** True when {@code hash} is a well-formed hash this service can verify (a PHC string, or bcrypt). */
    public boolean isSupported(String hash) {
        String normalized = normalize(hash);
        return formats.stream().anyMatch(format -> format.recognizes(normalized) && format.isWellFormed(normalized));
    }

    /** Runs synchronously on the calling thread: for pool workers and tests only. */
    boolean verifyNow(String secret, String storedHash) {
        String hash = normalize(storedHash);
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        for (SecretHashFormat format : formats) {
            if (format.recognizes(hash)) {
                return format.verify(bytes, hash);
            }
        }
        return false;
    }

    /** Spring Security's DelegatingPasswordEncoder prefixes the id of its encoder: {bcrypt}, {argon2}. */
    private static String normalize(String hash) {
        if (hash.startsWith("{bcrypt}") || hash.startsWith("{argon2}")) {
            return hash.substring(hash.indexOf('}') + 1);
        }
        return hash;
    }

    private <T> Uni<T> offload(Supplier<T> work) {
        return Uni.createFrom().emitter(emitter -> {
            Context caller = Vertx.currentContext();
            try {
                pool.execute(() -> {
                    T result;
                    try {
                        result = work.get();
                    } catch (RuntimeException e) {
                        resume(caller, () -> emitter.fail(e));
                        return;
                    }
                    resume(caller, () -> emitter.complete(result));
                });
            } catch (RejectedExecutionException e) {
                emitter.fail(new HashingSaturatedException());
            }
        });
    }

    private static void resume(Context caller, Runnable continuation) {
        if (caller == null) {
            continuation.run();
        } else {
            caller.runOnContext(ignored -> continuation.run());
        }
    }

    @PreDestroy
    void shutdown() {
        pool.shutdownNow();
    }
}
