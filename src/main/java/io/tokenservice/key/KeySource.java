package io.tokenservice.key;

import io.smallrye.mutiny.Uni;

/**
 * Where the signing keys come from (the strategy of Ory Hydra's {@code jwk/manager_strategy.go}): one fixed key
 * from PEM files the operator rotates ({@link FixedKeySource}), or keys stored in the database and rotated on a
 * schedule ({@link ManagedKeys}). {@link SigningKeys} picks one at startup and never asks which it has.
 */
interface KeySource {

    /**
     * The keys as of now. At startup a scheduling source also stores what is due: the first key, or the next key
     * after a change of the configured algorithm.
     */
    Uni<KeySet> refresh(boolean startup);

    /** The keys as stored now, read without writing anything (for a replica told that the keys changed). */
    Uni<KeySet> read();

    /**
     * Stores a new key that signs from publish-ahead on, published at once.
     *
     * @return a failed {@code Uni} with {@link RotationRefusedException} when this source cannot rotate now
     */
    Uni<ScheduledKey> rotate();

    /**
     * Retires a key at once: it leaves the JWKS and stops signing; if it was signing, a new key signs from now.
     *
     * @return the new signing key, or null when the retired key was not signing; a failed {@code Uni} with
     *     {@link UnknownKeyException} for a kid not stored, {@link RotationRefusedException} for PEM files
     */
    Uni<ScheduledKey> retire(String kid);

    /** Whether the keys follow a schedule that changes underneath (so every replica must re-read them). */
    boolean scheduled();

    /** Stored keys this replica cannot open (sealed under a key-encryption key it lacks); skipped, reported. */
    java.util.Set<String> unreadable();
}
