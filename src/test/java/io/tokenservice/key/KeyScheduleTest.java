package io.tokenservice.key;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The key schedule's decisions, table-driven: no database, no clock but the schedule's own instant. */
class KeyScheduleTest {

    static final Instant NOW = Instant.parse("2026-01-31T12:00:00Z");
    static final Duration PUBLISH_AHEAD = Duration.ofHours(1);
    static final Duration ROTATION_PERIOD = Duration.ofDays(30);

    /** A schedule at NOW of keys activated (negative: ago) or activating (positive: ahead) at these offsets. */
    private static KeySchedule schedule(SigningAlgorithm algorithm, Duration... offsets) {
        List<KeySchedule.Slot> slots = new ArrayList<>();
        for (int i = 0; i < offsets.length; i++) {
            slots.add(new KeySchedule.Slot("kid-" + i, algorithm, NOW.plus(offsets[i])));
        }
        return new KeySchedule(NOW, slots);
    }

    static Stream<Arguments> nextActivation() {
        Duration justRotated = Duration.ofDays(-1);
        Duration dueWithinPublishAhead = ROTATION_PERIOD.negated().plus(Duration.ofMinutes(30));
        return Stream.of(
                Arguments.of("no key: the first signs at once", schedule(SigningAlgorithm.RS256), false,
                        Optional.of(NOW)),
                Arguments.of("young key: nothing due", schedule(SigningAlgorithm.RS256, justRotated), false,
                        Optional.empty()),
                Arguments.of("rotation due within publish-ahead: the next key is stored now",
                        schedule(SigningAlgorithm.RS256, dueWithinPublishAhead), false, Optional.of(NOW.plus(PUBLISH_AHEAD))),
                Arguments.of("rotation due, but a key is pending already",
                        schedule(SigningAlgorithm.RS256, dueWithinPublishAhead, Duration.ofMinutes(20)), false,
                        Optional.empty()),
                Arguments.of("another algorithm at startup: a rotation",
                        schedule(SigningAlgorithm.ES256, justRotated), true, Optional.of(NOW.plus(PUBLISH_AHEAD))),
                Arguments.of("another algorithm on a periodic refresh: left alone",
                        schedule(SigningAlgorithm.ES256, justRotated), false, Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void nextActivation(String situation, KeySchedule schedule, boolean startup, Optional<Instant> expected) {
        assertEquals(expected, schedule.nextActivation(SigningAlgorithm.RS256, ROTATION_PERIOD, PUBLISH_AHEAD, startup));
    }

    static Stream<Arguments> activeAndPending() {
        return Stream.of(
                Arguments.of(schedule(SigningAlgorithm.RS256), Optional.empty(), Optional.empty()),
                Arguments.of(schedule(SigningAlgorithm.RS256, Duration.ofDays(-40), Duration.ofDays(-10)),
                        Optional.of("kid-1"), Optional.empty()),
                Arguments.of(schedule(SigningAlgorithm.RS256, Duration.ofDays(-10), Duration.ZERO),
                        Optional.of("kid-1"), Optional.empty()),
                Arguments.of(schedule(SigningAlgorithm.RS256, Duration.ofDays(-10), Duration.ofSeconds(1)),
                        Optional.of("kid-0"), Optional.of("kid-1")));
    }

    @ParameterizedTest
    @MethodSource
    void activeAndPending(KeySchedule schedule, Optional<String> active, Optional<String> pending) {
        assertEquals(active, schedule.active().map(KeySchedule.Slot::kid));
        assertEquals(pending, schedule.pending().map(KeySchedule.Slot::kid));
    }

    static Stream<Arguments> retired() {
        Duration retireAfter = Duration.ofDays(7);
        return Stream.of(
                Arguments.of("a lone key is never retired", schedule(SigningAlgorithm.RS256, Duration.ofDays(-400)),
                        retireAfter, List.of()),
                Arguments.of("successor active for less than retire-after: both kept",
                        schedule(SigningAlgorithm.RS256, Duration.ofDays(-40), Duration.ofDays(-6)), retireAfter, List.of()),
                Arguments.of("successor active for exactly retire-after: the old key goes",
                        schedule(SigningAlgorithm.RS256, Duration.ofDays(-40), Duration.ofDays(-7)), retireAfter,
                        List.of("kid-0")),
                Arguments.of("a pending key retires nothing",
                        schedule(SigningAlgorithm.RS256, Duration.ofDays(-40), Duration.ofHours(1)), retireAfter, List.of()),
                Arguments.of("two generations back: both old keys go",
                        schedule(SigningAlgorithm.RS256, Duration.ofDays(-70), Duration.ofDays(-40), Duration.ofDays(-10)),
                        retireAfter, List.of("kid-0", "kid-1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void retired(String situation, KeySchedule schedule, Duration retireAfter, List<String> expected) {
        assertEquals(expected, schedule.retired(retireAfter));
    }
}
