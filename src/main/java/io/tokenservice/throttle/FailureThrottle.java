package io.tokenservice.throttle;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.tokenservice.config.TokenServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Budgets failed client authentications (RFC 6749 §2.3.1: the token endpoint MUST protect against brute force),
 * per source address and per client id, in bounded memory. A request is refused before any lookup or slow hash
 * when its source has spent its budget, or when its client has and this source is one of those that failed for
 * it: a right secret from a source that has not failed for the client keeps working, so nobody can lock a client
 * out by failing on its behalf.
 */
@ApplicationScoped
public class FailureThrottle {

    private final TokenBuckets bySource;
    private final TokenBuckets byClient;
    // Verifications a source over its budget may still have fail (an assertion tried against keys at hand).
    private final TokenBuckets atHandBySource;
    // (client, source) pairs that failed within the last minute: the sources a spent client budget holds back.
    private final Cache<String, Boolean> failedPairs;
    // Sources that failed within the last minute: suspects, whose slow hashes take a lane of their own.
    private final Cache<String, Boolean> failedSources;
    // Requests admitted and not finished, per source: a burst is a suspect before any of it has failed.
    private final Cache<String, AtomicInteger> inFlight;
    /** Requests a source may have in flight before its slow hashes count as a suspect's. */
    static final int CLEAN_IN_FLIGHT = 2;
    private final int perSource;
    private final int perClient;

    @Inject
    FailureThrottle(TokenServiceConfig config) {
        this(config.throttle().failuresPerSourcePerMinute(), config.throttle().failuresPerClientPerMinute(),
                config.throttle().maxTracked(), Ticker.systemTicker());
    }

    FailureThrottle(int perSource, int perClient, long maxTracked, Ticker ticker) {
        this.perSource = perSource;
        this.perClient = perClient;
        this.bySource = new TokenBuckets(maxTracked, ticker);
        this.byClient = new TokenBuckets(maxTracked, ticker);
        this.atHandBySource = new TokenBuckets(maxTracked, ticker);
        this.failedPairs = Caffeine.newBuilder().maximumSize(maxTracked).expireAfterWrite(Duration.ofMinutes(1))
                .ticker(ticker).build();
        this.failedSources = Caffeine.newBuilder().maximumSize(maxTracked).expireAfterWrite(Duration.ofMinutes(1))
                .ticker(ticker).build();
        this.inFlight = Caffeine.newBuilder().maximumSize(maxTracked).expireAfterAccess(Duration.ofMinutes(1))
                .ticker(ticker).build();
    }

    /**
     * Admits a request from {@code source} presenting {@code clientId}, charging the source's budget now, before
     * the outcome is known, so that a burst of requests sent at once is held to the budget too; a success gives
     * the charge back ({@link #succeeded}). Refused while a budget it draws on is spent: the source's, or the
     * client's when this source failed for it.
     *
     * @throws ThrottledException with the time until the budget refills
     */
    public void admit(String clientId, String source) {
        Optional<Duration> wait = bySource.take(source, perSource);
        if (wait.isPresent()) {
            throw new ThrottledException(ThrottledException.Limit.SOURCE, "Too many failed client authentications",
                    wait.get());
        }
        if (failedPairs.getIfPresent(pair(clientId, source)) != null) {
            // This source failed for the client: it waits for the client's budget as well.
            wait = byClient.emptyFor(clientId, perClient);
            if (wait.isPresent()) {
                bySource.giveBack(source);
                throw new ThrottledException(ThrottledException.Limit.CLIENT, "Too many failed client authentications",
                        wait.get());
            }
        }
        inFlight.get(source, ignored -> new AtomicInteger()).incrementAndGet();
    }

    /**
     * Admits one verification against what this replica has at hand (cached clients, keys within cache-for) for a
     * source already over its failure budget, charging a second budget of the same size; a success gives the charge
     * back ({@link #succeededAtHand}). So a source over its budget can still cost at most that many failed
     * signature verifications a minute, while clients behind its address whose keys verify keep working.
     *
     * @throws ThrottledException {@code throttled} when that budget is spent too
     */
    public void admitAtHand(String source, ThrottledException throttled) {
        if (atHandBySource.take(source, perSource).isPresent()) {
            throw throttled;
        }
    }

    /** A verification admitted by {@link #admitAtHand} succeeded: its charge is given back. */
    public void succeededAtHand(String source) {
        atHandBySource.giveBack(source);
    }

    /** An admitted request finished, however it ended. */
    public void finished(String source) {
        AtomicInteger count = inFlight.getIfPresent(source);
        if (count != null) {
            count.updateAndGet(value -> Math.max(0, value - 1));
        }
    }

    /** The admitted request authenticated: its charge to the source is given back. */
    public void succeeded(String source) {
        bySource.giveBack(source);
    }

    /**
     * Whether {@code source} is a suspect: it failed within the last minute, or has more than
     * {@value #CLEAN_IN_FLIGHT} admitted requests unfinished (a burst, before any of it could fail).
     */
    public boolean suspect(String source) {
        AtomicInteger count = inFlight.getIfPresent(source);
        return failedSources.getIfPresent(source) != null || count != null && count.get() > CLEAN_IN_FLIGHT;
    }

    /**
     * An admitted guess failed (unknown client or wrong secret), {@code guesses} secrets in one request (a Basic
     * header may be read two ways): the source was charged one at admission, the rest now, and the client all.
     */
    public void failed(String clientId, String source, int guesses) {
        for (int i = 1; i < guesses; i++) {
            bySource.take(source, perSource);
        }
        for (int i = 0; i < guesses; i++) {
            byClient.take(clientId, perClient);
        }
        failedPairs.put(pair(clientId, source), Boolean.TRUE);
        failedSources.put(source, Boolean.TRUE);
    }

    /**
     * A client that authenticated failed a proof it had to give besides (a DPoP proof that is forged, replayed or
     * for another request): charged to the source and to the client like a guess, after the source's admission
     * charge was given back on authentication.
     */
    public void failedProof(String clientId, String source) {
        bySource.take(source, perSource);
        failed(clientId, source, 1);
    }

    private static String pair(String clientId, String source) {
        return clientId + '\u0000' + source;
    }
}
