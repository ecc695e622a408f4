package io.tokenservice.jose;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.smallrye.mutiny.Uni;
import io.tokenservice.config.TokenServiceConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
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
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;

/**
 * JWK Sets fetched from the URLs clients and trusted issuers publish them at ({@code jwks_uri}, RFC 7591 §2), and
 * issuers' discovery documents, kept per URL in bounded memory. A fetch must finish within {@code token-service.assertions.jwks.timeout} and stay within
 * {@code max-bytes}, answer 200 with a JWK Set, and follows no redirect; one fetch per URL runs at a time, the
 * others wait for it. A set is used for {@code cache-for}, then fetched again; a failed fetch keeps the set fetched
 * before, up to {@code max-stale} after it was fetched, and a URL whose fetch failed is not tried again within {@code min-refetch-interval}, so that a dead or
 * slow URL costs one fetch per interval, not one per request. A set in use is fetched again in the background once
 * it is half of cache-for old, so that no request waits for the refetch of a set it already has: only the first
 * use of a URL, or one unused for cache-for, waits for a fetch. Fails with {@link JwtRejectedException}
 * {@link JwtRejectedException.Reason#KEYS_UNAVAILABLE}: whoever's keys cannot be read is not authenticated, and
 * never causes a 5xx.
 */
@ApplicationScoped
public class RemoteJwks {

    private static final Logger LOG = Logger.getLogger(RemoteJwks.class);

    /** What is known about one document: the last one fetched and parsed (or null), when, and when last tried. */
    private record Known(Object document, long fetchedAt, long triedAt) {
    }

    /** How a kind of document is read from a response body; an exception means it is not one. */
    @FunctionalInterface
    private interface Parser {
        Object parse(String body) throws Exception;
    }

    private static final String JWKS = "jwks ";
    private static final String DISCOVERY = "discovery ";
    private static final String WELL_KNOWN = "/.well-known/openid-configuration";

    private final HttpClient http;
    private final Ticker ticker;
    private final Duration timeout;
    private final int maxBytes;
    private final long cacheForNanos;
    private final long minRefetchNanos;
    private final long maxStaleNanos;
    private final boolean allowHttp;
    // By kind and URL: "jwks <url>" or "discovery <url>".
    private final Cache<String, Known> known;
    private final Map<String, Uni<Object>> fetching = new ConcurrentHashMap<>();

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
        this.maxStaleNanos = Math.max(config.maxStale().toNanos(), cacheForNanos);
        this.allowHttp = config.allowHttp();
        this.known = Caffeine.newBuilder().maximumSize(config.maxCached()).build();
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout(millis)
                .setIdleTimeout(millis)
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setVerifyHost(true)
                .setMaxPoolSize(4)
                .setKeepAlive(false);
        config.trustCertificates().filter(paths -> !paths.isEmpty()).ifPresent(paths -> {
            PemTrustOptions trust = new PemTrustOptions();
            paths.forEach(path -> trust.addCertPath(path.toString()));
            options.setTrustOptions(trust);
        });
        this.http = vertx.createHttpClient(options);
    }

    /** The set at {@code uri}: as cached while fresh, else fetched (the old set if the fetch fails). */
    public Uni<JsonWebKeySet> current(String uri) {
        return current(JWKS, uri, RemoteJwks::jwkSet).map(JsonWebKeySet.class::cast);
    }

    /**
     * The set at {@code uri} after an assertion named a kid it lacks: fetched again unless a fetch was tried within
     * {@code min-refetch-interval} (key rotation at the client is seen at once; a stream of unknown kids costs one
     * fetch per interval).
     */
    public Uni<JsonWebKeySet> refreshed(String uri) {
        return fetchUnlessTriedWithin(JWKS, uri, RemoteJwks::jwkSet, ticker.read()).map(JsonWebKeySet.class::cast);
    }

    /** Fetches the set at {@code uri} again in the background, unless a fetch was tried within min-refetch-interval. */
    public void refreshInBackground(String uri) {
        refreshed(uri).subscribe().with(ignored -> { }, failure -> { });
    }

    /**
     * The set cached for {@code uri} while it is fresh (younger than cache-for), without fetching: for requests that
     * may not fetch, which must not keep a key its owner removed alive longer than requests that may.
     */
    public Optional<JsonWebKeySet> fresh(String uri) {
        return document(JWKS, uri, cacheForNanos).map(JsonWebKeySet.class::cast);
    }

    /**
     * The jwks_uri of {@code issuer}'s discovery document ({@code <issuer>/.well-known/openid-configuration},
     * OpenID Connect Discovery 1.0 §4), fetched and cached under the same limits as key sets; its {@code issuer}
     * must be {@code issuer} exactly (§4.3) and its jwks_uri https (or http where allowed).
     */
    public Uni<String> jwksUriOf(String issuer) {
        return current(DISCOVERY, issuer.replaceAll("/+$", "") + WELL_KNOWN, body -> jwksUri(body, issuer))
                .map(String.class::cast);
    }

    /** The jwks_uri of {@code issuer} as discovered within cache-for, without fetching. */
    public Optional<String> freshJwksUriOf(String issuer) {
        return document(DISCOVERY, issuer.replaceAll("/+$", "") + WELL_KNOWN, cacheForNanos).map(String.class::cast);
    }


    private Uni<Object> current(String kind, String uri, Parser parser) {
        long now = ticker.read();
        Known entry = known.getIfPresent(kind + uri);
        if (entry == null || entry.document() == null || now - entry.fetchedAt() >= cacheForNanos) {
            return fetchUnlessTriedWithin(kind, uri, parser, now);
        }
        if (now - entry.fetchedAt() >= cacheForNanos / 2 && !fetching.containsKey(kind + uri)) {
            // Past half its life: fetched again in the background (at most once per min-refetch-interval after a
            // failure); this request goes on with the set it has.
            fetchUnlessTriedWithin(kind, uri, parser, now).subscribe().with(ignored -> { }, failure -> { });
        }
        return Uni.createFrom().item(entry.document());
    }

    /** What was fetched last from {@code uri}, unless it was fetched {@code maxAgeNanos} ago or longer. */
    private Optional<Object> document(String kind, String uri, long maxAgeNanos) {
        return Optional.ofNullable(known.getIfPresent(kind + uri))
                .filter(entry -> ticker.read() - entry.fetchedAt() < maxAgeNanos)
                .map(Known::document);
    }

    private Uni<Object> fetchUnlessTriedWithin(String kind, String uri, Parser parser, long now) {
        String key = kind + uri;
        Known entry = known.getIfPresent(key);
        if (entry != null && now - entry.triedAt() < minRefetchNanos) {
            return document(kind, uri, maxStaleNanos).map(document -> Uni.createFrom().item(document))
                    .orElseGet(() -> Uni.createFrom().failure(unavailable()));
        }
        Uni<Object> shared = fetching.computeIfAbsent(key, ignored -> fetch(uri, parser)
                .onItemOrFailure().invoke((document, failure) -> {
                    long at = ticker.read();
                    Known before = known.getIfPresent(key);
                    if (failure == null) {
                        known.put(key, new Known(document, at, at));
                    } else {
                        LOG.warnf("Cannot fetch %s%s: %s", uri,
                                before != null && before.document() != null ? " (keeping what was fetched before)" : "",
                                failure.getMessage());
                        known.put(key, new Known(before == null ? null : before.document(),
                                before == null ? 0 : before.fetchedAt(), at));
                    }
                    fetching.remove(key);
                })
                .memoize().indefinitely());
        return Uni.createFrom().deferred(() -> {
            Context caller = Vertx.currentContext();
            Uni<Object> result = shared.onFailure().recoverWithUni(failure -> document(kind, uri, maxStaleNanos)
                    .map(document -> Uni.createFrom().item(document))
                    .orElseGet(() -> Uni.createFrom().failure(unavailable())));
            // Joiners of another request's fetch continue on their own context, not on the fetching one's.
            return caller == null ? result : result.emitOn(work -> caller.runOnContext(ignored -> work.run()));
        });
    }

    /** The usable keys of a fetched set, kept to the rules of a registered one ({@link JwkSetRules}). */
    private static Object jwkSet(String body) {
        return JwkSetRules.usableKeys(body);
    }

    private Object jwksUri(String body, String issuer) throws JoseException {
        Map<String, Object> document = JsonUtil.parseJson(body);
        if (!issuer.equals(document.get("issuer"))) {
            throw new IllegalStateException("the discovery document names another issuer");
        }
        if (!(document.get("jwks_uri") instanceof String jwksUri)
                || !(jwksUri.startsWith("https://") || allowHttp && jwksUri.startsWith("http://"))) {
            throw new IllegalStateException("the discovery document has no usable jwks_uri");
        }
        return jwksUri;
    }

    private Uni<Object> fetch(String uri, Parser parser) {
        AtomicReference<HttpClientRequest> started = new AtomicReference<>();
        return Uni.createFrom().<Object>emitter(emitter -> {
                    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(uri)
                            .setFollowRedirects(false).putHeader("Accept", "application/jwk-set+json, application/json");
                    if (!uri.startsWith("https://") && !(allowHttp && uri.startsWith("http://"))) {
                        emitter.fail(new IllegalStateException("not an https URL"));
                        return;
                    }
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
                                    emitter.complete(parser.parse(body.toString(StandardCharsets.UTF_8)));
                                } catch (Exception e) {
                                    emitter.fail(new IllegalStateException("unreadable: " + e.getMessage()));
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

    private static JwtRejectedException unavailable() {
        return new JwtRejectedException(JwtRejectedException.Reason.KEYS_UNAVAILABLE);
    }
}
