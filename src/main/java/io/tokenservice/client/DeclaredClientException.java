package io.tokenservice.client;

/**
 * An administrator tried to change or remove a client that the clients file declares
 * ({@code token-service.clients.file}); the admin API answers 409: change it in the file.
 */
public final class DeclaredClientException extends RuntimeException {

    public DeclaredClientException() {
        super("This client is declared in the clients file (token-service.clients.file); change it there", null, false,
                false);
    }
}
