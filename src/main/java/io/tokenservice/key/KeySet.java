package io.tokenservice.key;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The keys one replica knows, ordered by activation: every one is published; the one that signs at an instant
 * is the last to have activated by then.
 */
record KeySet(List<ScheduledKey> keys) {

    KeySet {
        keys = keys.stream().sorted(Comparator.comparing(ScheduledKey::activatesAt)).toList();
    }

    static KeySet of(SigningKey key) {
        return new KeySet(List.of(new ScheduledKey(key, Instant.EPOCH)));
    }

    /**
     * The key that signs at {@code now}; the first key when none has activated by this replica's clock (a
     * clock behind the database's when the very first key was stored); null for no keys.
     */
    SigningKey activeAt(Instant now) {
        for (int i = keys.size() - 1; i >= 0; i--) {
            if (!keys.get(i).activatesAt().isAfter(now)) {
                return keys.get(i).key();
            }
        }
        return keys.isEmpty() ? null : keys.get(0).key();
    }
}
