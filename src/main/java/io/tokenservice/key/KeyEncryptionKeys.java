package io.tokenservice.key;

import io.quarkus.runtime.LaunchMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The key-encryption keys of this replica: the current one, which seals every new or re-sealed signing key, and
 * previous ones ({@code TOKEN_SERVICE_KEY_ENCRYPTION_KEYS_PREVIOUS}), which only open keys sealed before a
 * rotation of the key-encryption key.
 */
final class KeyEncryptionKeys {

    static final String PREVIOUS_ENVIRONMENT = "TOKEN_SERVICE_KEY_ENCRYPTION_KEYS_PREVIOUS";

    /** A private key opened, and whether the current key-encryption key sealed it. */
    record Opened(byte[] plaintext, boolean underCurrent) {
    }

    private final KeyEncryptionKey current;
    private final List<KeyEncryptionKey> previous;

    KeyEncryptionKeys(KeyEncryptionKey current, List<KeyEncryptionKey> previous) {
        this.current = current;
        this.previous = List.copyOf(previous);
    }

    /** The configured keys; see {@link KeyEncryptionKey#resolve} for the current one. */
    static KeyEncryptionKeys resolve(Optional<String> current, Optional<List<String>> previous, LaunchMode mode) {
        List<KeyEncryptionKey> older = new ArrayList<>();
        previous.orElse(List.of()).stream().filter(key -> !key.isBlank())
                .forEach(key -> older.add(KeyEncryptionKey.parse(key, PREVIOUS_ENVIRONMENT)));
        return new KeyEncryptionKeys(KeyEncryptionKey.resolve(current, mode), older);
    }

    KeyEncryptionKey current() {
        return current;
    }

    /**
     * Opens a sealed private key: with the key-encryption key {@code kekId} names, or, for a row sealed before
     * ids were recorded (null), with whichever key opens it. Empty when none of this replica's keys does.
     */
    Optional<Opened> open(byte[] sealed, String kid, String kekId) {
        List<KeyEncryptionKey> all = new ArrayList<>(previous.size() + 1);
        all.add(current);
        all.addAll(previous);
        for (KeyEncryptionKey key : all) {
            if (kekId != null && !kekId.equals(key.id())) {
                continue;
            }
            try {
                return Optional.of(new Opened(key.open(sealed, kid), key == current));
            } catch (IllegalStateException wrongKey) {
                // not sealed under this one; try the next
            }
        }
        return Optional.empty();
    }
}
