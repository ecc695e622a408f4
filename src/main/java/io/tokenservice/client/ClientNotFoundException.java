package io.tokenservice.client;

/** An administrator named a client that does not exist; the admin API answers 404. */
public final class ClientNotFoundException extends RuntimeException {

    public ClientNotFoundException() {
        super("No such client", null, false, false);
    }
}
