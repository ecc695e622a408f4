package io.tokenservice.database;

/**
 * What a replica holds in memory that PostgreSQL announces changes to on a channel of its own (a trigger's
 * {@code pg_notify}), whichever replica or operator made the change. {@link ChangeListener} listens on every
 * channel and tells its holder; the holder owns what an announcement means for what it holds.
 */
public interface ChangeChannel {

    /** The PostgreSQL notification channel. */
    String channel();

    /**
     * The channel was (re)subscribed: announcements sent while nobody listened are lost, so what is held may be
     * stale. Called on the event loop; must not block.
     */
    void subscribed();

    /** A change was announced with this payload. Called on the event loop; must not block. */
    void announced(String payload);
}
