package io.tokenservice;

import io.quarkus.runtime.StartupEvent;
import io.tokenservice.admin.BootstrapAdminClient;
import io.tokenservice.clientfile.ClientFileSync;
import io.tokenservice.config.Launch;
import io.tokenservice.jose.DpopNonces;
import io.tokenservice.key.SigningKeys;
import io.tokenservice.revocation.RevokedTokens;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * What a serving replica reads, and on a first start writes, before it takes requests: its signing keys, the
 * revocations, the bootstrap admin and the DPoP nonce secret, then the clients file. They come after the schema check
 * ({@code SchemaCheck}, priority 1: nothing is read or written in a schema this build cannot use). The first four run
 * at once, each on a thread of its own, rather than one after another: none depends on another, and on two cores the
 * signing keys' cold cryptography no longer waits for the others' round trips. The start fails with the first failure
 * in the order below, once all four have ended; every failure is logged with its read's name. The clients file comes
 * only after the four succeeded: at start a replica applies its own copy for the whole fleet, which a replica that
 * cannot serve (a wrong key-encryption key, say) must not do.
 */
@ApplicationScoped
class StartupReads {

    private static final Logger LOG = Logger.getLogger(StartupReads.class);

    /** One start-up read: blocks until it is done, and throws what stops the start. */
    @FunctionalInterface
    interface Read {
        void run() throws Throwable;
    }

    private final Map<String, Read> reads = new LinkedHashMap<>();
    private final ClientFileSync clientFile;

    StartupReads(SigningKeys keys, RevokedTokens revocations, BootstrapAdminClient bootstrap, DpopNonces nonces,
            ClientFileSync clientFile) {
        reads.put("signing keys", keys::start);
        reads.put("revocations", revocations::start);
        reads.put("bootstrap admin", bootstrap::start);
        reads.put("DPoP nonce secret", nonces::start);
        this.clientFile = clientFile;
    }

    void read(@Observes @Priority(2) StartupEvent event) throws Throwable {
        if (!Launch.serving()) {
            return;
        }
        long start = System.nanoTime();
        Map<String, Long> took = runAtOnce(reads);
        long fileStart = System.nanoTime();
        clientFile.start();
        took.put("then the clients file", millisSince(fileStart));
        LOG.infof("Start-up reads done in %d ms, at once: %s", millisSince(start), took.entrySet().stream()
                .map(read -> read.getKey() + " " + read.getValue() + " ms").collect(Collectors.joining(", ")));
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    /**
     * Runs every read on a thread of its own and waits for all; returns how long each took (ms), or throws the first
     * failure in iteration order.
     */
    static Map<String, Long> runAtOnce(Map<String, Read> reads) throws Throwable {
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(reads.size(), task -> {
            Thread thread = new Thread(task, "startup-read-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            Map<String, Future<Long>> running = new LinkedHashMap<>();
            for (Map.Entry<String, Read> read : reads.entrySet()) {
                running.put(read.getKey(), executor.submit(() -> {
                    long start = System.nanoTime();
                    try {
                        read.getValue().run();
                        return millisSince(start);
                    } catch (Exception | Error e) {
                        throw e;
                    } catch (Throwable e) {
                        throw new UndeclaredThrowableException(e);
                    }
                }));
            }
            Map<String, Long> took = new LinkedHashMap<>();
            Throwable first = null;
            for (Map.Entry<String, Future<Long>> read : running.entrySet()) {
                try {
                    took.put(read.getKey(), read.getValue().get());
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause() instanceof UndeclaredThrowableException undeclared
                            ? undeclared.getUndeclaredThrowable() : e.getCause();
                    LOG.errorf("Start-up read failed: %s: %s", read.getKey(), cause);
                    if (first == null) {
                        first = cause;
                    } else if (cause != first) {
                        // Vert.x shares some exceptions (a closed connection's) between calls: never self-suppression.
                        first.addSuppressed(cause);
                    }
                }
            }
            if (first != null) {
                throw first;
            }
            return took;
        } finally {
            executor.shutdownNow();
        }
    }
}
