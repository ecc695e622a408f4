package io.tokenservice.key;

/**
 * No signing key may sign on this replica now: none is loaded yet, or the keys were not read for longer than
 * {@code token-service.keys.max-staleness}; the edge answers 503 with a short {@code Retry-After}.
 */
public final class NoSigningKeyException extends RuntimeException {

    public NoSigningKeyException() {
        super("no signing key is loaded yet", null, false, false);
    }
}
