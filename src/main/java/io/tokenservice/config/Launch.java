package io.tokenservice.config;

/**
 * What this process was started to do, as its command line says ({@code TokenServiceMain}): serve (no argument),
 * or plan the clients file ({@code plan}, against the database; {@code plan --offline}, the file alone). Only a
 * serving process reads or writes keys, revocations, clients or the bootstrap admin at start, or listens for changes.
 * Set once, before Quarkus starts; serving when never set (tests, dev mode).
 */
public enum Launch {
    SERVE, PLAN, OFFLINE_PLAN;

    private static volatile Launch current = SERVE;

    public static Launch current() {
        return current;
    }

    public static void set(Launch launch) {
        current = launch;
    }

    /** Whether this process serves requests, and so does the start-up work serving needs. */
    public static boolean serving() {
        return current == SERVE;
    }
}
