package io.tokenservice.key;

import io.smallrye.mutiny.Uni;

/** One key that never changes: an operator's PEM files (who rotates it by replacing them), or a test's key. */
final class FixedKeySource implements KeySource {

    private final KeySet keys;

    FixedKeySource(SigningKey key) {
        this.keys = KeySet.of(key);
    }

    @Override
    public Uni<KeySet> refresh(boolean startup) {
        return Uni.createFrom().item(keys);
    }

    @Override
    public Uni<KeySet> read() {
        return Uni.createFrom().item(keys);
    }

    @Override
    public Uni<ScheduledKey> rotate() {
        return Uni.createFrom().failure(
                new RotationRefusedException("Signing keys come from PEM files: rotate them by replacing the files"));
    }

    @Override
    public Uni<ScheduledKey> retire(String kid) {
        return Uni.createFrom().failure(
                new RotationRefusedException("Signing keys come from PEM files: retire a key by replacing the files"));
    }

    @Override
    public boolean scheduled() {
        return false;
    }

    @Override
    public java.util.Set<String> unreadable() {
        return java.util.Set.of();
    }
}
