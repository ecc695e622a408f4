package io.tokenservice.key;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The stored keys' schedule as of one instant (the database's clock, read under the schedule lock), and the
 * decisions taken on it: which key signs, which waits, whether a new key is due and which keys are retired. Pure:
 * no I/O, no clock of its own.
 *
 * @param slots the stored keys, ordered by activation
 */
record KeySchedule(Instant now, List<Slot> slots) {

    /** A stored key as the schedule sees it. */
    record Slot(String kid, SigningAlgorithm algorithm, Instant activatesAt) {
    }

    /** The key that signs now: the last to have activated. */
    Optional<Slot> active() {
        return slots.stream().filter(slot -> !slot.activatesAt().isAfter(now)).reduce((first, second) -> second);
    }

    /** The key that waits to sign, published already; at most one. */
    Optional<Slot> pending() {
        return slots.stream().filter(slot -> slot.activatesAt().isAfter(now)).findFirst();
    }

    /**
     * When the next key must start signing, if one must be stored now: at once when there is no key (no token
     * exists that a verifier could miss it for); else publish-ahead from now when none is pending and the active
     * key has signed for its rotation period by then, or, at startup, signs with another algorithm than the
     * configured one.
     */
    Optional<Instant> nextActivation(SigningAlgorithm configured, Duration rotationPeriod, Duration publishAhead,
            boolean startup) {
        Optional<Slot> active = active();
        if (active.isEmpty()) {
            return Optional.of(now);
        }
        if (pending().isPresent()) {
            return Optional.empty();
        }
        Instant next = now.plus(publishAhead);
        boolean rotationDue = !active.get().activatesAt().plus(rotationPeriod).isAfter(next);
        boolean algorithmChanged = startup && active.get().algorithm() != configured;
        return rotationDue || algorithmChanged ? Optional.of(next) : Optional.empty();
    }

    /**
     * The keys no token can need any more: each whose successor has signed for longer than {@code retireAfter}
     * (the longest token lifetime plus the tolerated clock skew).
     */
    List<String> retired(Duration retireAfter) {
        Instant cutoff = now.minus(retireAfter);
        return slots.stream()
                .filter(slot -> slots.stream().anyMatch(successor -> successor.activatesAt().isAfter(slot.activatesAt())
                        && !successor.activatesAt().isAfter(cutoff)))
                .map(Slot::kid)
                .toList();
    }
}
