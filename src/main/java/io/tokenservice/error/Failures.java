package io.tokenservice.error;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Turns whatever a request pipeline failed with into an {@link OAuthException}: the service's own errors pass
 * through; a duplicate key or a lost optimistic-lock race is a 409; an unreachable database a 503; anything else
 * is logged with its stack trace and answered with a bare 500 that reveals nothing.
 */
public final class Failures {

    private static final Logger LOG = Logger.getLogger(Failures.class);
    private static final int RETRY_AFTER_SECONDS = 5;

    private Failures() {
    }

    public static OAuthException translate(Throwable failure) {
        if (failure instanceof OAuthException known) {
            return known;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String type = cause.getClass().getName();
            if (type.equals("org.hibernate.StaleObjectStateException") || type.equals("org.hibernate.StaleStateException")
                    || cause instanceof jakarta.persistence.OptimisticLockException) {
                return new OAuthException(OAuthError.CONFLICT, "The resource was changed concurrently; read it and retry");
            }
            if (cause instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())) {
                return new OAuthException(OAuthError.CONFLICT, "The resource already exists");
            }
            if (cause instanceof ConnectException || cause instanceof TimeoutException
                    || cause instanceof io.vertx.sqlclient.ClosedConnectionException) {
                LOG.warnf("Database unavailable: %s", cause.toString());
                return OAuthException.unavailable("The service is temporarily unavailable", RETRY_AFTER_SECONDS);
            }
        }
        LOG.error("Request failed", failure);
        return new OAuthException(OAuthError.SERVER_ERROR, "Internal server error");
    }
}
