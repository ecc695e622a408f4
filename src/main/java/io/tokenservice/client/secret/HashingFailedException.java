package io.tokenservice.client.secret;

/**
 * A slow verification did not produce an answer: it failed on the pool (an {@link Error} included) or ran past
 * {@code token-service.hashing.verification-timeout}. The edge answers 503 with a short {@code Retry-After}.
 */
public final class HashingFailedException extends RuntimeException {

    public HashingFailedException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
