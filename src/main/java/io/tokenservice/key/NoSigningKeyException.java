package io.tokenservice.key;

/** No signing key is loaded yet on this replica; the edge answers 503 with a short {@code Retry-After}. */
public final class NoSigningKeyException extends RuntimeException {

    public NoSigningKeyException() {
        super("no signing key is loaded yet", null, false, false);
    }
}
