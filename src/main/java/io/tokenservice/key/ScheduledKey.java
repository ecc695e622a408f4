package io.tokenservice.key;

import java.time.Instant;

/** A signing key and the instant from which it signs; published before, and after until it is retired. */
public record ScheduledKey(SigningKey key, Instant activatesAt) {
}
