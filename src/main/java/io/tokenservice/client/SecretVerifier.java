package io.tokenservice.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.tokenservice.client.ClientCredentials.Candidate;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.client.secret.VerifiedSecrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Decides which presented secret, if any, belongs to which client: each candidate reading against its client's
 * current secret, then against the previous one during a rotation's grace window. A secret {@link VerifiedSecrets}
 * has seen pass costs one HMAC; otherwise every pair goes to the hashing pool in one task, and a candidate with no
 * client (or no previous secret) is checked against a dummy hash, so that every failure costs the same two slow
 * verifications per candidate, whichever clients exist. A successful slow verification is remembered.
 */
@ApplicationScoped
public class SecretVerifier {

    /** The client whose secret was presented, and the stored hash it matched. */
    public record Match(ClientSnapshot client, String storedHash) {
    }

    /** One candidate against one stored hash of its client, or against nothing (a null hash). */
    private record Attempt(Candidate candidate, ClientSnapshot client, String storedHash) {
    }

    private final SecretHasher hasher;
    private final VerifiedSecrets verifiedSecrets;
    private final SecretRehash rehash;
    private final Clock clock;
    private final Set<String> reverifying = ConcurrentHashMap.newKeySet();
    // (client, source) pairs whose secret verified here: their slow hashes take the lane a flood cannot fill.
    private final Cache<String, Boolean> knownPairs = Caffeine.newBuilder()
            .maximumSize(KNOWN_PAIRS).expireAfterAccess(Duration.ofDays(1)).build();
    private static final long KNOWN_PAIRS = 100_000;
    private static final Logger LOG = Logger.getLogger(SecretVerifier.class);

    @Inject
    SecretVerifier(SecretHasher hasher, VerifiedSecrets verifiedSecrets, SecretRehash rehash) {
        this(hasher, verifiedSecrets, Clock.systemUTC(), rehash);
    }

    /** Without hashing secrets again (unit tests). */
    SecretVerifier(SecretHasher hasher, VerifiedSecrets verifiedSecrets, Clock clock) {
        this(hasher, verifiedSecrets, clock, null);
    }

    private SecretVerifier(SecretHasher hasher, VerifiedSecrets verifiedSecrets, Clock clock, SecretRehash rehash) {
        this.hasher = hasher;
        this.verifiedSecrets = verifiedSecrets;
        this.clock = clock;
        this.rehash = rehash;
    }

    /**
     * The first attempt that verifies, in the order described above; empty when none does. Fails with
     * {@link io.tokenservice.client.secret.HashingSaturatedException} when the hashing pool refuses the work.
     */
    public Uni<Optional<Match>> verify(List<Candidate> candidates, Map<String, ClientSnapshot> clients) {
        return verify(candidates, clients, "unknown", false);
    }

    /**
     * As {@link #verify(List, Map)}, for a request from {@code source}. A (client, source) pair that verified
     * before hashes on the {@link SecretHasher.Lane#KNOWN} lane, a source that failed recently ({@code suspect})
     * on the {@link SecretHasher.Lane#SUSPECT} lane, every other request on {@link SecretHasher.Lane#OTHER}, so
     * that a flood of guesses delays neither clients in use nor clients arriving for the first time; when any
     * candidate's client is disabled, every check is computed even after a match, so that the right secret of a
     * disabled client takes as long as a wrong one.
     */
    @WithSpan("client.verify_secret")
    public Uni<Optional<Match>> verify(List<Candidate> candidates, Map<String, ClientSnapshot> clients, String source,
            boolean suspect) {
        List<Attempt> attempts = plan(candidates, clients, clock.instant());
        Optional<Match> warm = recall(attempts, true);
        if (warm.isPresent()) {
            return Uni.createFrom().item(warm);
        }
        List<SecretHasher.Check> checks = attempts.stream()
                .map(attempt -> new SecretHasher.Check(attempt.candidate().secret(), attempt.storedHash())).toList();
        boolean knownSource = candidates.stream().anyMatch(candidate ->
                knownPairs.getIfPresent(pair(candidate.clientId(), source)) != null);
        boolean anyDisabled = clients.values().stream().anyMatch(client -> !client.enabled());
        // A source that failed recently is a suspect even for a client it verified before: no lane it cannot fill.
        SecretHasher.Lane lane = suspect ? SecretHasher.Lane.SUSPECT
                : knownSource ? SecretHasher.Lane.KNOWN : SecretHasher.Lane.OTHER;
        return hasher.firstMatch(checks, lane, anyDisabled)
                .map(index -> {
                    if (index.isEmpty()) {
                        candidates.forEach(candidate -> knownPairs.invalidate(pair(candidate.clientId(), source)));
                        return Optional.empty();
                    }
                    Attempt matched = attempts.get(index.getAsInt());
                    verifiedSecrets.remember(matched.client().clientId(), matched.candidate().secret(), matched.storedHash());
                    if (rehash != null && matched.storedHash().equals(matched.client().secretHash())) {
                        rehash.afterVerified(matched.client().clientId(), matched.candidate().secret(), matched.storedHash());
                    }
                    knownPairs.put(pair(matched.client().clientId(), source), Boolean.TRUE);
                    return Optional.of(new Match(matched.client(), matched.storedHash()));
                });
    }

    private static String pair(String clientId, String source) {
        return clientId + '\u0000' + source;
    }

    /**
     * The match a verified secret gives at the cost of one HMAC, or empty: for a request that may not cause a slow
     * hash (its source is over its failure budget) but presents a secret this replica already trusts.
     */
    public Optional<Match> warmMatch(List<Candidate> candidates, Map<String, ClientSnapshot> clients) {
        return recall(plan(candidates, clients, clock.instant()), false);
    }

    /**
     * The first attempt {@link VerifiedSecrets} trusts, at one HMAC each; one nearing its bound is re-verified in
     * the background when {@code renew}. A disabled client's secret is never recalled: it takes the exhaustive
     * slow path, so that right or wrong it costs the same.
     */
    private Optional<Match> recall(List<Attempt> attempts, boolean renew) {
        for (Attempt attempt : attempts) {
            if (attempt.storedHash() == null || !attempt.client().enabled()) {
                continue;
            }
            VerifiedSecrets.Recall recall = verifiedSecrets.recall(attempt.client().clientId(), attempt.candidate().secret(),
                    attempt.storedHash());
            if (recall == VerifiedSecrets.Recall.TRUSTED_REVERIFY && renew) {
                reverifyInBackground(attempt);
            }
            if (recall != VerifiedSecrets.Recall.UNKNOWN) {
                return Optional.of(new Match(attempt.client(), attempt.storedHash()));
            }
        }
        return Optional.empty();
    }

    /**
     * Runs the slow hash for a trusted secret nearing its bound, without holding up the request that presented
     * it; success renews the verification. One at a time per client; a busy pool just leaves it to the next
     * request (the bound, not this, is what keeps a secret from being trusted forever).
     */
    private void reverifyInBackground(Attempt attempt) {
        String clientId = attempt.client().clientId();
        if (!reverifying.add(clientId)) {
            return;
        }
        hasher.firstMatch(List.of(new SecretHasher.Check(attempt.candidate().secret(), attempt.storedHash())),
                        SecretHasher.Lane.KNOWN, false)
                .eventually(() -> reverifying.remove(clientId))
                .subscribe().with(match -> {
                    if (match.isPresent()) {
                        verifiedSecrets.remember(clientId, attempt.candidate().secret(), attempt.storedHash());
                    }
                }, failure -> LOG.debugf("Background re-verification of client '%s' deferred: %s", clientId, failure));
    }

    /** Every candidate against the current secret first, then every one against the grace-window secret. */
    private static List<Attempt> plan(List<Candidate> candidates, Map<String, ClientSnapshot> clients, Instant now) {
        List<Attempt> attempts = new ArrayList<>(candidates.size() * 2);
        for (Candidate candidate : candidates) {
            ClientSnapshot client = clients.get(candidate.clientId());
            attempts.add(new Attempt(candidate, client, client == null ? null : client.secretHash()));
        }
        for (Candidate candidate : candidates) {
            ClientSnapshot client = clients.get(candidate.clientId());
            attempts.add(new Attempt(candidate, client, client == null ? null : client.previousSecretHashValidAt(now)));
        }
        return attempts;
    }
}
