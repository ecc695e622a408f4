package io.tokenservice.database;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.tokenservice.config.Launch;
import io.tokenservice.config.TokenServiceConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.pgclient.PgException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Where replicas do not migrate ({@code token-service.database.migrate-at-start=false}, the migration job does),
 * refuses to start on a schema older than this build needs, with a message that says so, before anything else
 * touches the database: one query of Flyway's history table, no migration scan. A newer schema is accepted (a
 * rollback of the service after a migration that kept compatibility, as every migration here does).
 */
@ApplicationScoped
public class SchemaCheck {

    /** The highest migration (db/migration/V*) this build ships; SchemaCheckTest keeps it in step. */
    public static final int REQUIRED_VERSION = 18;

    private static final Logger LOG = Logger.getLogger(SchemaCheck.class);

    private final Pool pool;
    private final boolean migrateAtStart;
    private final Duration timeout;

    SchemaCheck(Pool pool, TokenServiceConfig config) {
        this.pool = pool;
        this.migrateAtStart = config.database().migrateAtStart();
        this.timeout = config.database().timeout().plusSeconds(10);
    }

    // Before the keys, revocations and bootstrap admin read or write anything (StartupReads: priority 2).
    void check(@Observes @Priority(1) StartupEvent event) throws Throwable {
        if (migrateAtStart || !Launch.serving()) {
            // A plan checks the schema itself, to say so with its own exit code.
            return;
        }
        String verdict = VertxContextSupport.subscribeAndAwait(this::verdict);
        if (verdict != null) {
            throw new IllegalStateException(verdict);
        }
        LOG.infof("Database schema is current for this build (version %d); migrations are the migration job's",
                REQUIRED_VERSION);
    }

    /**
     * Why the database's schema cannot serve this build, or null when it can; fails when the database does not
     * answer within the database timeout (plus 10 s).
     */
    public Uni<String> verdict() {
        return pool.query("SELECT max(CAST(version AS integer)) AS version FROM token_service.flyway_schema_history "
                        + "WHERE success AND version IS NOT NULL")
                .execute()
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return row.getInteger("version") == null ? 0 : row.getInteger("version");
                })
                .onFailure(e -> e instanceof PgException pg && "42P01".equals(pg.getSqlState())).recoverWithItem(0)
                .ifNoItem().after(timeout).fail()
                .map(SchemaCheck::verdict);
    }

    /** Why a schema at {@code found} cannot serve this build, or null when it can. */
    static String verdict(int found) {
        if (found >= REQUIRED_VERSION) {
            return null;
        }
        String state = found == 0 ? "The database has no token-service schema yet"
                : "The database schema is at version " + found + ", behind the version " + REQUIRED_VERSION
                        + " this build needs";
        return state + ": run the migration first (java -jar quarkus-run.jar migrate, the token-service-migrate Job), "
                + "or start with token-service.database.migrate-at-start=true";
    }
}
