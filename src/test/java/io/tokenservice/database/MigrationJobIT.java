package io.tokenservice.database;

import static io.tokenservice.testing.PackagedJar.execute;
import static io.tokenservice.testing.PackagedJar.launch;
import static io.tokenservice.testing.PackagedJar.newDatabase;
import static io.tokenservice.testing.PackagedJar.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenservice.testing.PackagedJar;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar as the Kubernetes migration Job and replicas run it: {@code migrate} migrates and exits 0 without
 * serving; a replica that does not migrate refuses an older schema with a message saying so, and serves on the
 * current one. Each test has a database of its own on the tests' PostgreSQL.
 */
class MigrationJobIT {

    private static final String SCHEMA_VERSION =
            "SELECT max(CAST(version AS integer)) FROM token_service.flyway_schema_history WHERE success";
    private static final Map<String, String> NOT_MIGRATING = Map.of("TOKEN_SERVICE_DATABASE_MIGRATE_AT_START", "false");

    /** Runs {@code migrate} on {@code database} and returns its log, asserting it exited 0. */
    private static String migrate(String database, String log) throws Exception {
        PackagedJar.Launched migrate = launch(database, log, Map.of(), "migrate");
        assertTrue(migrate.process().waitFor(90, TimeUnit.SECONDS), "migrate did not exit");
        String output = Files.readString(migrate.log());
        assertEquals(0, migrate.process().exitValue(), output);
        return output;
    }

    @Test
    void migrateMigratesAnEmptyDatabaseAndExitsZeroWithoutServing() throws Exception {
        String database = newDatabase("migration");
        String log = migrate(database, "migrate-job.log");
        assertEquals(SchemaCheck.REQUIRED_VERSION, scalar(database, SCHEMA_VERSION));
        // Nothing past initialisation ran: no signing key was generated, no port opened.
        assertEquals(0, scalar(database, "SELECT count(*) FROM token_service.signing_key"));
        assertFalse(log.contains("Listening on"), log);
    }

    @Test
    void aReplicaThatDoesNotMigrateRefusesAnOlderSchemaAndSaysSo() throws Exception {
        String database = newDatabase("migration");
        // The previous release's schema, as Flyway's history tells it: migrated, less the last migration.
        migrate(database, "migrate-previous.log");
        execute(database, "DELETE FROM token_service.flyway_schema_history WHERE version = '"
                + SchemaCheck.REQUIRED_VERSION + "'");
        PackagedJar.Launched replica = launch(database, "replica-old-schema.log", NOT_MIGRATING);
        assertTrue(replica.process().waitFor(90, TimeUnit.SECONDS), "the replica did not stop");
        String log = Files.readString(replica.log());
        assertNotEquals(0, replica.process().exitValue(), log);
        assertTrue(log.contains("The database schema is at version " + (SchemaCheck.REQUIRED_VERSION - 1)
                + ", behind the version " + SchemaCheck.REQUIRED_VERSION + " this build needs"), log);
        // It refused before touching anything: the schema is as it was, and no signing key was generated (the
        // keys are read, and the first one made, by a startup step that runs after the check).
        assertEquals(SchemaCheck.REQUIRED_VERSION - 1, scalar(database, SCHEMA_VERSION));
        assertEquals(0, scalar(database, "SELECT count(*) FROM token_service.signing_key"));
    }

    @Test
    void aReplicaThatDoesNotMigrateServesOnTheMigratedSchema() throws Exception {
        String database = newDatabase("migration");
        migrate(database, "migrate-then-serve.log");
        PackagedJar.Launched replica = launch(database, "replica-current-schema.log", NOT_MIGRATING);
        try {
            replica.awaitReady(Duration.ofSeconds(90));
        } finally {
            replica.stop();
        }
    }
}
