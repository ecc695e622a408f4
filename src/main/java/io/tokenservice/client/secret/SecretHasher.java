package io.tokenservice.client.secret;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
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
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Creates and verifies salted slow hashes of client secrets. New hashes are Argon2id with the configured cost;
 * verification also reads PBKDF2-SHA256 and bcrypt, so clients imported from Ory Hydra or Spring Authorization
 * Server keep their secrets. All hashing runs on bounded pools of its own, never on the event loop, and the
 * result is delivered back on the caller's Vert.x context. The pools are {@link Lane}s, so that a flood of guesses
 * fills only its own: clients that verified before, and the admin API, keep hashing capacity it cannot take.
 * When a lane and its queue are full, or (for the {@link Lane#OTHER} and {@link Lane#SUSPECT} lanes) the CPU budget of
 * {@code token-service.hashing.max-cpu-cores} is spent, the returned {@link Uni} fails at once with
 * {@link HashingSaturatedException}.
 */
@ApplicationScoped
public class SecretHasher {

    /** One secret to check against one stored hash; a null hash means "no such client". */
    public record Check(String secret, String storedHash) {
    }

    /** Which pool a piece of hashing runs on. */
    public enum Lane {
        /** Clients verifying from a source they verified from before, and background re-verifications: 1 thread. */
        KNOWN,
        /** Every other verification, first-time clients included: hashing.workers threads, the CPU budget. */
        OTHER,
        /** Verifications from sources that failed recently, where a flood of guesses lands: 1 thread, the CPU budget. */
        SUSPECT,
        /** New and rotated secrets of the admin API and the bootstrap: 1 thread. */
        ADMIN
    }

    private static final int SMALL_LANE_QUEUE = 64;
    private static final int SUSPECT_QUEUE = 16;

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final Logger LOG = Logger.getLogger(SecretHasher.class);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final HashingMemory memory;
    private final Argon2idFormat argon2id;
    private final List<SecretHashFormat> formats;
    private final CompletableFuture<String> dummyHash;
    private final Map<Lane, ThreadPoolExecutor> pools = new EnumMap<>(Lane.class);
    // One CPU budget per budgeted lane: suspects spending theirs leave first-time clients theirs.
    private final Map<Lane, VerificationBudget> budgets = new EnumMap<>(Lane.class);
    private final Map<Lane, AtomicLong> refused = new EnumMap<>(Lane.class);
    private final Map<Lane, Timer> hashingTime = new EnumMap<>(Lane.class);
    private final Duration verificationTimeout;
    private final ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "secret-hasher-timeouts");
        thread.setDaemon(true);
        return thread;
    });

    @Inject
    SecretHasher(TokenServiceConfig config, MeterRegistry registry) {
        this(config.hashing().argon2MemoryKib(), config.hashing().argon2Iterations(),
                config.hashing().argon2Parallelism(),
                config.hashing().workers().orElse(Runtime.getRuntime().availableProcessors()),
                config.hashing().queueSize(), config.hashing().maxCpuCores(), config.hashing().verificationTimeout(),
                config.hashing().maxMemoryKib().orElse(HashingMemory.defaultBudgetKib(Runtime.getRuntime().maxMemory())));
        registerMetrics(registry);
    }

    /**
     * Per lane: hashes waiting ({@code token_service_hashing_queued}), running ({@code _in_flight}), refused at
     * once for a full lane or a spent CPU budget ({@code _refused_total}), and how long each took on its worker
     * ({@code token_service_hashing_seconds}, a histogram).
     */
    void registerMetrics(MeterRegistry registry) {
        Gauge.builder("token_service.hashing.memory", memory, HashingMemory::inUseKib).baseUnit("kibibytes")
                .description("Argon2id memory held by running hashes, bounded by token-service.hashing.max-memory-kib")
                .register(registry);
        for (Lane lane : Lane.values()) {
            String name = lane.name().toLowerCase(Locale.ROOT);
            ThreadPoolExecutor pool = pools.get(lane);
            Gauge.builder("token_service.hashing.queued", pool, p -> p.getQueue().size())
                    .description("Hashes waiting for a worker of the lane").tag("lane", name).register(registry);
            Gauge.builder("token_service.hashing.in_flight", pool, ThreadPoolExecutor::getActiveCount)
                    .description("Hashes running on the lane's workers").tag("lane", name).register(registry);
            FunctionCounter.builder("token_service.hashing.refused", refused.get(lane), AtomicLong::get)
                    .description("Hashes refused at once (lane full or CPU budget spent): a 503, or a 429 for suspects")
                    .tag("lane", name).register(registry);
            hashingTime.put(lane, Timer.builder("token_service.hashing")
                    .description("Time a hash (one or more verifications, or a new hash) took on its worker")
                    .tag("lane", name)
                    .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
                            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
                            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10))
                    .register(registry));
        }
    }

    /** A hasher outside the container (unit tests), with no CPU budget. */
    public SecretHasher(int argon2MemoryKib, int argon2Iterations, int argon2Parallelism, int workers, int queueSize) {
        this(argon2MemoryKib, argon2Iterations, argon2Parallelism, workers, queueSize, 0, Duration.ofSeconds(30),
                Argon2idFormat.MAX_MEMORY_KIB);
    }

    SecretHasher(int argon2MemoryKib, int argon2Iterations, int argon2Parallelism, int workers, int queueSize,
            double maxCpuCores, Duration verificationTimeout, int maxMemoryKib) {
        this.verificationTimeout = verificationTimeout;
        this.memory = new HashingMemory(maxMemoryKib);
        this.argon2id = new Argon2idFormat(argon2MemoryKib, argon2Iterations, argon2Parallelism, memory);
        this.formats = List.of(argon2id, new Pbkdf2Sha256Format(), new BcryptFormat());
        budgets.put(Lane.OTHER, new VerificationBudget(maxCpuCores));
        budgets.put(Lane.SUSPECT, new VerificationBudget(maxCpuCores));
        pools.put(Lane.OTHER, lane("secret-hasher-", workers, queueSize));
        pools.put(Lane.KNOWN, lane("secret-hasher-known-", 1, SMALL_LANE_QUEUE));
        // A short queue: a suspect is told to slow down within a few verifications' time rather than wait.
        pools.put(Lane.SUSPECT, lane("secret-hasher-suspect-", 1, SUSPECT_QUEUE));
        pools.put(Lane.ADMIN, lane("secret-hasher-admin-", 1, SMALL_LANE_QUEUE));
        for (Lane lane : Lane.values()) {
            refused.put(lane, new AtomicLong());
        }
        // What an unknown client is checked against, so that it costs what a wrong secret costs. Made on the
        // pool, off the startup path: a cold JVM takes a second or more for its first Argon2id.
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.dummyHash = CompletableFuture.supplyAsync(() -> argon2id.hash(random), pools.get(Lane.OTHER));
    }

    private static ThreadPoolExecutor lane(String name, int workers, int queueSize) {
        AtomicInteger threads = new AtomicInteger();
        return new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueSize), task -> {
            Thread thread = new Thread(task, name + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** A new Argon2id PHC string for {@code secret}, on the admin lane. */
    public Uni<String> hash(String secret) {
        return offload(Lane.ADMIN, () -> argon2id.hash(secret.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@link #firstMatch(List, Lane, boolean)} on the {@link Lane#OTHER} lane, stopping at the first match. */
    public Uni<OptionalInt> firstMatch(List<Check> checks) {
        return firstMatch(checks, Lane.OTHER, false);
    }

    /**
     * Checks each pair in order and stops at the first that verifies.
     *
     * @param exhaustive compute every check even after a match, so that a match takes as long as none
     * @return the index of the matching check, or empty; every check is computed when none matches
     */
    public Uni<OptionalInt> firstMatch(List<Check> checks, Lane lane, boolean exhaustive) {
        VerificationBudget budget = budgets.get(lane);
        if (budget != null && !budget.tryAcquire()) {
            refused.get(lane).incrementAndGet();
            return Uni.createFrom().failure(new HashingSaturatedException());
        }
        return offload(lane, () -> {
            long started = CPU.getCurrentThreadCpuTime();
            try {
                OptionalInt first = OptionalInt.empty();
                for (int i = 0; i < checks.size(); i++) {
                    Check check = checks.get(i);
                    boolean known = check.storedHash() != null;
                    boolean matches = verifyNow(check.secret(), known ? check.storedHash() : dummyHash.join());
                    if (matches && known && first.isEmpty()) {
                        first = OptionalInt.of(i);
                        if (!exhaustive) {
                            return first;
                        }
                    }
                }
                return first;
            } finally {
                if (budget != null) {
                    budget.charge(CPU.getCurrentThreadCpuTime() - started);
                }
            }
        });
    }

    /**
     * Whether a secret that verified against {@code hash} should be hashed again: the hash is another format
     * (imported PBKDF2 or bcrypt) or Argon2id at another cost than new hashes get.
     */
    public boolean isOutdated(String hash) {
        return argon2id.isOutdated(normalize(hash));
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

    /** Runs {@code work} on the {@link Lane#OTHER} lane; for tests. */
    <T> Uni<T> offload(Supplier<T> work) {
        return offload(Lane.OTHER, work);
    }

    /** Runs {@code work} on the lane's pool and delivers its outcome on the caller's context. */
    <T> Uni<T> offload(Lane lane, Supplier<T> work) {
        return Uni.createFrom().emitter(emitter -> {
            Task<T> task = new Task<>(work, emitter, Vertx.currentContext(), hashingTime.get(lane));
            try {
                pools.get(lane).execute(task);
            } catch (RejectedExecutionException e) {
                refused.get(lane).incrementAndGet();
                task.refuse();
            }
        });
    }

    /**
     * One piece of hashing work and the request waiting for it. Whatever happens it answers once: the result; a
     * failure, {@link Error}s such as {@code OutOfMemoryError} included; a timeout once it has run longer than
     * the verification timeout (the worker finishes on its own, bounded by the accepted hash parameters); or,
     * when the pool shuts down before running it, a refusal.
     */
    private final class Task<T> implements Runnable {
        private final Supplier<T> work;
        private final UniEmitter<? super T> emitter;
        private final Context caller;
        private final AtomicBoolean answered = new AtomicBoolean();

        private final ScheduledFuture<?> deadline;
        /** Where the time on the worker is recorded; null outside the container. */
        private final Timer time;

        Task(Supplier<T> work, UniEmitter<? super T> emitter, Context caller, Timer time) {
            this.work = work;
            this.emitter = emitter;
            this.caller = caller;
            this.time = time;
            // From submission: a request waits for its queue and its verification together at most this long.
            this.deadline = timeouts.schedule(() -> answer(() -> emitter.fail(new HashingFailedException(
                    "no verification within " + verificationTimeout, null))), verificationTimeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        }

        @Override
        public void run() {
            if (answered.get()) {
                // Timed out while queued: nobody waits for it any more.
                return;
            }
            long started = System.nanoTime();
            try {
                T result = work.get();
                record(started);
                answer(() -> emitter.complete(result));
            } catch (RuntimeException e) {
                answer(() -> emitter.fail(e));
            } catch (Throwable e) {
                LOG.errorf("Secret hashing failed: %s", e.toString());
                answer(() -> emitter.fail(new HashingFailedException("secret hashing failed", e)));
            } finally {
                deadline.cancel(false);
            }
        }

        private void record(long started) {
            if (time != null) {
                time.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            }
        }

        void refuse() {
            deadline.cancel(false);
            answer(() -> emitter.fail(new HashingSaturatedException()));
        }

        private void answer(Runnable outcome) {
            if (answered.compareAndSet(false, true)) {
                resume(caller, outcome);
            }
        }
    }

    private static void resume(Context caller, Runnable continuation) {
        if (caller == null) {
            continuation.run();
        } else {
            caller.runOnContext(ignored -> continuation.run());
        }
    }

    /**
     * Lets the queued and running verifications finish for up to {@code quarkus.shutdown.timeout}-like grace
     * (five seconds), then refuses whatever is left, so that no request waits for an answer that never comes.
     */
    @PreDestroy
    void shutdown() {
        pools.values().forEach(ThreadPoolExecutor::shutdown);
        long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
        try {
            for (ThreadPoolExecutor pool : pools.values()) {
                pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ThreadPoolExecutor pool : pools.values()) {
            for (Runnable left : pool.shutdownNow()) {
                if (left instanceof Task<?> task) {
                    task.refuse();
                }
            }
        }
        timeouts.shutdownNow();
    }
}
