package io.tokenservice.key;

/** Every signing thread is busy and {@code token-service.signing.max-queued} signatures already wait: retry shortly. */
public class SigningSaturatedException extends RuntimeException {

    public SigningSaturatedException() {
        super("Too many signatures queued", null, false, false);
    }
}
