package io.tokenservice.client;

/** A client was to be registered under a client_id that is taken; the admin API answers 409. */
public final class ClientExistsException extends RuntimeException {

    public ClientExistsException() {
        super("A client with this client_id exists", null, false, false);
    }
}
