package io.tokenservice;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.tokenservice.clientfile.PlanCommand;
import io.tokenservice.config.Launch;
import java.util.List;

/**
 * The command line: no argument serves; {@code migrate} migrates the database schema and exits 0 (what the
 * Kubernetes migration Job runs), so that replicas can start with {@code token-service.database.migrate-at-start}
 * false. Migrating is Quarkus' own start-up migration followed by its {@code quarkus.init-and-exit}: the process
 * stops after initialisation, before the HTTP ports open or any key, revocation or client is read. {@code plan}
 * prints what applying the clients file would change ({@code plan --offline}: checks the file alone) and exits
 * without serving, migrating or writing anything.
 */
@QuarkusMain
public final class TokenServiceMain {

    public static void main(String... args) {
        List<String> command = List.of(args);
        if (command.equals(List.of("migrate"))) {
            System.setProperty("quarkus.flyway.migrate-at-start", "true");
            System.setProperty("quarkus.init-and-exit", "true");
        } else if (command.equals(List.of("plan")) || command.equals(List.of("plan", "--offline"))) {
            Launch.set(command.size() == 1 ? Launch.PLAN : Launch.OFFLINE_PLAN);
            // A plan reads; it never migrates, and it listens on no port anyone would reach.
            System.setProperty("quarkus.flyway.migrate-at-start", "false");
            System.setProperty("token-service.database.migrate-at-start", "false");
            System.setProperty("quarkus.http.host", "127.0.0.1");
            System.setProperty("quarkus.http.port", "0");
            System.setProperty("quarkus.management.port", "0");
            System.setProperty("quarkus.management.host", "127.0.0.1");
            System.setProperty("quarkus.log.level", "WARN");
            // Nobody is routed to a plan: no readiness delay when it stops.
            System.setProperty("quarkus.shutdown.delay", "0S");
            System.setProperty("%prod.quarkus.shutdown.delay", "0S");
            Quarkus.run(PlanCommand.class, (exitCode, failure) -> {
                if (failure != null) {
                    System.err.println("plan: " + failure);
                }
                System.exit(exitCode);
            }, args);
            return;
        } else if (!command.isEmpty()) {
            System.err.println("usage: java -jar quarkus-run.jar [migrate | plan [--offline]]");
            System.exit(2);
        }
        Quarkus.run();
    }
}
