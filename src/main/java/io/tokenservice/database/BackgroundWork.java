package io.tokenservice.database;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Starts database work that no request waits for (a background re-read) on a Vert.x context of its own, so it
 * neither holds up nor shares the session of the request that prompted it.
 */
public final class BackgroundWork {

    private BackgroundWork() {
    }

    /**
     * Runs {@code work} on a new duplicated context of the current one; false, without running it, when the
     * caller is not on Vert.x (nothing to run it on).
     */
    public static boolean start(Runnable work) {
        Context current = Vertx.currentContext();
        if (current == null) {
            return false;
        }
        Context own = VertxContext.createNewDuplicatedContext(current);
        // Hibernate Reactive Panache runs only on a context flagged as isolated, as a request's is.
        VertxContextSafetyToggle.setContextSafe(own, true);
        own.runOnContext(ignored -> work.run());
        return true;
    }
}
