package io.tokenservice.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import io.tokenservice.client.ClientCredentials.Candidate;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.client.secret.VerifiedSecrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The candidate x hash plan on a fixed clock: which stored hash each presented secret is checked against, in
 * which order, that every failure costs the same number of slow verifications, and that a verified secret is
 * remembered so the next request hashes nothing.
 */
class SecretVerifierTest {

    static final Instant NOW = Instant.parse("2026-05-01T00:00:00Z");

    /** Records every plan the verifier hands the hashing pool, and verifies it for real (cheap Argon2id). */
    static final class RecordingHasher extends SecretHasher {
        final List<List<Check>> plans = new ArrayList<>();
        final List<Lane> lanes = new ArrayList<>();
        final List<Boolean> exhaustive = new ArrayList<>();

        RecordingHasher() {
            super(1024, 1, 1, 1, 16);
        }

        @Override
        public Uni<OptionalInt> firstMatch(List<Check> checks, Lane lane, boolean computeAll) {
            plans.add(checks);
            lanes.add(lane);
            exhaustive.add(computeAll);
            return super.firstMatch(checks, lane, computeAll);
        }
    }

    final RecordingHasher hasher = new RecordingHasher();
    final java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
    final VerifiedSecrets remembered = new VerifiedSecrets(100, Duration.ofHours(1), nanos::get);
    final SecretVerifier verifier = new SecretVerifier(hasher, remembered, Clock.fixed(NOW, ZoneOffset.UTC));

    private String hash(String secret) {
        return hasher.hash(secret).await().indefinitely();
    }

    private ClientSnapshot client(String currentHash, String previousHash, Instant previousExpiresAt) {
        return new ClientSnapshot("client", currentHash, previousHash, previousExpiresAt, List.of(), List.of(), null,
                ClientAuthMethod.CLIENT_SECRET_BASIC, true);
    }

    private Optional<SecretVerifier.Match> verify(ClientSnapshot client, String secret) {
        return verifier.verify(List.of(new Candidate("client", secret)),
                client == null ? Map.of() : Map.of("client", client)).await().indefinitely();
    }

    @Test
    void theCurrentSecretMatchesAndIsRememberedSoTheNextRequestHashesNothing() {
        ClientSnapshot client = client(hash("current"), null, null);
        assertEquals(client.secretHash(), verify(client, "current").orElseThrow().storedHash());
        assertEquals(1, hasher.plans.size());
        assertEquals(client.secretHash(), verify(client, "current").orElseThrow().storedHash());
        assertEquals(1, hasher.plans.size(), "the second request went to the hashing pool");
    }

    @Test
    void thePreviousSecretMatchesWhileItsGraceWindowLasts() {
        String previous = hash("previous");
        assertEquals(previous, verify(client(hash("current"), previous, NOW.plusSeconds(1)), "previous")
                .orElseThrow().storedHash());
        assertTrue(verify(client(hash("current"), previous, NOW), "previous").isEmpty(), "the window has ended");
    }

    @Test
    void everyFailureCostsTwoSlowVerificationsPerCandidateWhicheverClientsExist() {
        verify(null, "guess");
        verify(client(hash("current"), null, null), "guess");
        verify(client(hash("current"), hash("previous"), NOW.plusSeconds(60)), "guess");
        List<Integer> sizes = hasher.plans.stream().filter(plan -> plan.stream().allMatch(check -> check.secret().equals("guess")))
                .map(List::size).toList();
        assertEquals(List.of(2, 2, 2), sizes);
    }

    @Test
    void anUnknownClientIsCheckedAgainstNothingButTheDummy() {
        verify(null, "guess");
        assertTrue(hasher.plans.get(hasher.plans.size() - 1).stream().allMatch(check -> check.storedHash() == null));
    }

    @Test
    void bothReadingsOfABasicHeaderAreTriedCurrentSecretsFirst() {
        ClientSnapshot client = client(hash("a+b"), hash("a b"), NOW.plusSeconds(60));
        Optional<SecretVerifier.Match> match = verifier.verify(
                List.of(new Candidate("client", "a b"), new Candidate("client", "a+b")), Map.of("client", client))
                .await().indefinitely();
        // Plan: ("a b", current), ("a+b", current), ("a b", previous), ("a+b", previous): the current one wins.
        assertEquals(client.secretHash(), match.orElseThrow().storedHash());
        List<SecretHasher.Check> plan = hasher.plans.get(hasher.plans.size() - 1);
        assertEquals(List.of(client.secretHash(), client.secretHash(), client.previousSecretHash(), client.previousSecretHash()),
                plan.stream().map(SecretHasher.Check::storedHash).toList());
    }

    // Issue 11, defect 1: a verified secret expired an hour after its verification, used or not.

    @Test
    void aSecretInUseIsReverifiedInTheBackgroundAndStaysTrustedPastMaxAge() throws Exception {
        ClientSnapshot client = client(hash("current"), null, null);
        verify(client, "current");
        int plans = hasher.plans.size();

        nanos.addAndGet(Duration.ofMinutes(40).toNanos());
        assertTrue(verify(client, "current").isPresent(), "trusted at once, past half the bound");
        long deadline = System.currentTimeMillis() + 5_000;
        while (remembered.recall("client", "current", client.secretHash()) != VerifiedSecrets.Recall.TRUSTED
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(plans + 1, hasher.plans.size(), "one background re-verification");

        nanos.addAndGet(Duration.ofMinutes(30).toNanos());
        assertTrue(verify(client, "current").isPresent());
        assertEquals(plans + 1, hasher.plans.size(), "70 minutes after the first verification, no slow hash on the request path");
    }

    @Test
    void aSecretNotUsedForMaxAgeIsForgotten() {
        ClientSnapshot client = client(hash("current"), null, null);
        verify(client, "current");
        nanos.addAndGet(Duration.ofMinutes(61).toNanos());
        assertEquals(VerifiedSecrets.Recall.UNKNOWN, remembered.recall("client", "current", client.secretHash()));
    }

    // Issue 11: lanes, and the right secret of a disabled client answering as fast as a wrong one (defect 8).

    @Test
    void eachRequestHashesOnTheLaneOfItsSource() {
        ClientSnapshot client = client(hash("first"), null, null);
        verifier.verify(List.of(new Candidate("client", "first")), Map.of("client", client), "10.0.0.1", false).await().indefinitely();
        // Rotated: the new secret needs the slow hash again, from the same source.
        ClientSnapshot rotated = client(hash("second"), null, null);
        verifier.verify(List.of(new Candidate("client", "second")), Map.of("client", rotated), "10.0.0.1", false).await().indefinitely();
        verifier.verify(List.of(new Candidate("client", "third")), Map.of("client", rotated), "10.0.0.2", false)
                .await().indefinitely();
        verifier.verify(List.of(new Candidate("client", "fourth")), Map.of("client", rotated), "10.0.0.3", true)
                .await().indefinitely();
        List<SecretHasher.Lane> verifications = hasher.lanes.subList(hasher.lanes.size() - 4, hasher.lanes.size());
        assertEquals(List.of(SecretHasher.Lane.OTHER, SecretHasher.Lane.KNOWN, SecretHasher.Lane.OTHER,
                SecretHasher.Lane.SUSPECT), verifications);
    }

    @Test
    void aSourceThatFailedRecentlyIsSuspectEvenForAClientItVerifiedBefore() {
        ClientSnapshot client = client(hash("mine"), null, null);
        verifier.verify(List.of(new Candidate("client", "mine")), Map.of("client", client), "10.0.9.1", false)
                .await().indefinitely();
        // A tenant flooding wrong secrets for its own client, from the address it verified from.
        verifier.verify(List.of(new Candidate("client", "wrong")), Map.of("client", client), "10.0.9.1", true)
                .await().indefinitely();
        assertEquals(SecretHasher.Lane.SUSPECT, hasher.lanes.get(hasher.lanes.size() - 1));
        // And a failure forgets the pair: it is not known any more once the suspicion has passed.
        verifier.verify(List.of(new Candidate("client", "wrong-again")), Map.of("client", client), "10.0.9.1", false)
                .await().indefinitely();
        assertEquals(SecretHasher.Lane.OTHER, hasher.lanes.get(hasher.lanes.size() - 1));
    }

    @Test
    void aWarmSecretOfADisabledClientTakesTheSlowPath() {
        ClientSnapshot enabled = client(hash("right"), null, null);
        verify(enabled, "right");
        int plans = hasher.plans.size();
        ClientSnapshot disabled = new ClientSnapshot("client", enabled.secretHash(), null, null, List.of(), List.of(), null,
                ClientAuthMethod.CLIENT_SECRET_BASIC, false);
        verify(disabled, "right");
        assertEquals(plans + 1, hasher.plans.size(), "a disabled client's remembered secret answered in one HMAC");
        assertTrue(verifier.warmMatch(List.of(new Candidate("client", "right")), Map.of("client", disabled)).isEmpty());
        assertTrue(verifier.warmMatch(List.of(new Candidate("client", "right")), Map.of("client", enabled)).isPresent());
    }

    @Test
    void theRightSecretOfADisabledClientIsCheckedAsExhaustivelyAsAWrongOne() {
        ClientSnapshot disabled = new ClientSnapshot("client", hash("right"), null, null, List.of(), List.of(), null,
                ClientAuthMethod.CLIENT_SECRET_BASIC, false);
        verify(disabled, "right");
        assertEquals(true, hasher.exhaustive.get(hasher.exhaustive.size() - 1));
        verify(client(hash("right"), null, null), "right");
        assertEquals(false, hasher.exhaustive.get(hasher.exhaustive.size() - 1));
    }
}
