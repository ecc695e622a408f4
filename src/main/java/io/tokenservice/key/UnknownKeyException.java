package io.tokenservice.key;

/** An administrator named a signing key that is not stored (any more); the admin API answers 404. */
public final class UnknownKeyException extends RuntimeException {

    public UnknownKeyException(String kid) {
        super("No stored signing key " + kid, null, false, false);
    }
}
