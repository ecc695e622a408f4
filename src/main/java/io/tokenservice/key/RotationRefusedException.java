package io.tokenservice.key;

/**
 * A rotation was asked for that the key source cannot make now: another key is already waiting to sign, or the
 * keys come from PEM files the operator rotates. The message says which, safe to show an administrator.
 */
public final class RotationRefusedException extends RuntimeException {

    public RotationRefusedException(String message) {
        super(message, null, false, false);
    }
}
