package io.tokenservice.client.assertion;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.smallrye.mutiny.Uni;
import io.tokenservice.client.AuthenticationFailure;
import io.tokenservice.client.ClientAuthenticationException;
import io.tokenservice.config.TokenServiceConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;

/**
 * JWK Sets fetched from the URLs clients publish them at ({@code jwks_uri}, RFC 7591 §2), kept per URL in bounded
 * memory. A fetch must finish within {@code token-service.assertions.jwks.timeout} and stay within
 * {@code max-bytes}, answer 200 with a JWK Set, and follows no redirect; one fetch per URL runs at a time, the
 * others wait for it. A set is used for {@code cache-for}, then fetched again; a failed fetch keeps the set fetched
 * before, and a URL whose fetch failed is not tried again within {@code min-refetch-interval}, so that a dead or
 * slow URL costs one fetch per interval, not one per request. Fails with {@link ClientAuthenticationException}
 * {@link AuthenticationFailure#KEYS_UNAVAILABLE}: a client whose keys cannot be read is not authenticated, and
 * never causes a 5xx.
 */
@ApplicationScoped
public class RemoteJwks {

    private static final Logger LOG = Logger.getLogger(RemoteJwks.class);

    /** What is known about one URL: the last set fetched (or null), when, and when a fetch was last tried. */
    private record Known(JsonWebKeySet keys, long fetchedAt, long triedAt) {
    }

    private final HttpClient http;
    private final Ticker ticker;
    private final Duration timeout;
    private final int maxBytes;
    private final long cacheForNanos;
    private final long minRefetchNanos;
    private final Cache<String, Known> known;
    private final Map<String, Uni<JsonWebKeySet>> fetching = new ConcurrentHashMap<>();

    @Inject
    RemoteJwks(Vertx vertx, TokenServiceConfig config) {
        this(vertx, Ticker.systemTicker(), config.assertions().jwks());
    }

    RemoteJwks(Vertx vertx, Ticker ticker, TokenServiceConfig.Assertions.Jwks config) {
        this.ticker = ticker;
        this.timeout = config.timeout();
        this.maxBytes = config.maxBytes();
        this.cacheForNanos = config.cacheFor().toNanos();
        this.minRefetchNanos = config.minRefetchInterval().toNanos();
        this.known = Caffeine.newBuilder().maximumSize(config.maxCached()).build();
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout(millis)
                .setIdleTimeout(millis)
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setVerifyHost(true)
                .setMaxPoolSize(4)
                .setKeepAlive(false));
    }

    /** The set at {@code uri}: as cached while fresh, else fetched (the old set if the fetch fails). */
    public Uni<JsonWebKeySet> current(String uri) {
        Known entry = known.getIfPresent(uri);
        long now = ticker.read();
        if (entry != null && entry.keys() != null && now - entry.fetchedAt() < cacheForNanos) {
            return Uni.createFrom().item(entry.keys());
        }
        return fetchUnlessTriedWithin(uri, entry, now);
    }

    /**
     * The set at {@code uri} after an assertion named a kid it lacks: fetched again unless a fetch was tried within
     * {@code min-refetch-interval} (key rotation at the client is seen at once; a stream of unknown kids costs one
     * fetch per interval).
     */
    public Uni<JsonWebKeySet> refreshed(String uri) {
        return fetchUnlessTriedWithin(uri, known.getIfPresent(uri), ticker.read());
    }

    /** The set cached for {@code uri}, however old, without fetching. */
    public Optional<JsonWebKeySet> cached(String uri) {
        return Optional.ofNullable(known.getIfPresent(uri)).map(Known::keys);
    }

    private Uni<JsonWebKeySet> fetchUnlessTriedWithin(String uri, Known entry, long now) {
        if (entry != null && now - entry.triedAt() < minRefetchNanos) {
            return entry.keys() != null ? Uni.createFrom().item(entry.keys()) : Uni.createFrom().failure(unavailable());
        }
        Uni<JsonWebKeySet> shared = fetching.computeIfAbsent(uri, key -> fetch(key)
                .onItemOrFailure().invoke((keys, failure) -> {
                    long at = ticker.read();
                    Known before = known.getIfPresent(key);
                    if (failure == null) {
                        known.put(key, new Known(keys, at, at));
                    } else {
                        LOG.warnf("Cannot fetch the JWK Set at %s%s: %s", key,
                                before != null && before.keys() != null ? " (keeping the one fetched before)" : "",
                                failure.getMessage());
                        known.put(key, new Known(before == null ? null : before.keys(),
                                before == null ? 0 : before.fetchedAt(), at));
                    }
                    fetching.remove(key);
                })
                .memoize().indefinitely());
        return Uni.createFrom().deferred(() -> {
            Context caller = Vertx.currentContext();
            Uni<JsonWebKeySet> result = shared.onFailure().recoverWithUni(failure -> cached(uri)
                    .map(keys -> Uni.createFrom().item(keys))
                    .orElseGet(() -> Uni.createFrom().failure(unavailable())));
            // Joiners of another request's fetch continue on their own context, not on the fetching one's.
            return caller == null ? result : result.emitOn(work -> caller.runOnContext(ignored -> work.run()));
        });
    }

    private Uni<JsonWebKeySet> fetch(String uri) {
        AtomicReference<HttpClientRequest> started = new AtomicReference<>();
        return Uni.createFrom().<JsonWebKeySet>emitter(emitter -> {
                    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(uri)
                            .setFollowRedirects(false).putHeader("Accept", "application/jwk-set+json, application/json");
                    http.request(options).onFailure(emitter::fail).onSuccess(request -> {
                        started.set(request);
                        request.send().onFailure(emitter::fail).onSuccess(response -> {
                            if (response.statusCode() != 200) {
                                request.reset();
                                emitter.fail(new IllegalStateException("HTTP status " + response.statusCode()));
                                return;
                            }
                            if (announcedLength(response.getHeader("Content-Length")) > maxBytes) {
                                request.reset();
                                emitter.fail(new IllegalStateException("larger than " + maxBytes + " bytes"));
                                return;
                            }
                            Buffer body = Buffer.buffer();
                            response.exceptionHandler(emitter::fail);
                            response.handler(chunk -> {
                                if (body.length() + chunk.length() > maxBytes) {
                                    request.reset();
                                    emitter.fail(new IllegalStateException("larger than " + maxBytes + " bytes"));
                                } else {
                                    body.appendBuffer(chunk);
                                }
                            });
                            response.endHandler(ignored -> {
                                try {
                                    emitter.complete(new JsonWebKeySet(body.toString(StandardCharsets.UTF_8)));
                                } catch (JoseException | RuntimeException e) {
                                    emitter.fail(new IllegalStateException("not a JWK Set"));
                                }
                            });
                        });
                    });
                })
                .ifNoItem().after(timeout).failWith(() -> new TimeoutException("no answer within " + timeout))
                .onFailure().invoke(() -> {
                    HttpClientRequest request = started.get();
                    if (request != null) {
                        request.reset();
                    }
                });
    }

    /** The Content-Length a response announces; 0 when it announces none, past any limit when it is not a number. */
    private static long announcedLength(String header) {
        if (header == null) {
            return 0;
        }
        try {
            return header.length() > 18 ? Long.MAX_VALUE : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static ClientAuthenticationException unavailable() {
        return new ClientAuthenticationException(AuthenticationFailure.KEYS_UNAVAILABLE);
    }
}
