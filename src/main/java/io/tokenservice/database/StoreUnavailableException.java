package io.tokenservice.database;

/**
 * The database failed or did not answer within {@code token-service.database.timeout}. The request that met it
 * changed nothing it can observe; the edge answers 503 with {@code Retry-After}.
 */
public final class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(Throwable cause) {
        // No stack trace: thrown at request rate while the database is away; the cause says what happened.
        super(cause.toString(), cause, false, false);
    }
}
