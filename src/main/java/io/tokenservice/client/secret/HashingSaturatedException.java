package io.tokenservice.client.secret;

/**
 * The hashing pool and its queue are full, or the CPU budget of {@code token-service.hashing.max-cpu-cores} is
 * spent: the verification was not started. The edge answers 503 with a short {@code Retry-After}.
 */
public final class HashingSaturatedException extends RuntimeException {

    public HashingSaturatedException() {
        super("secret hashing is saturated", null, false, false);
    }
}
