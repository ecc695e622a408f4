package io.tokenservice;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The command line: no argument serves; {@code migrate} migrates the database schema and exits 0 (what the
 * Kubernetes migration Job runs), so that replicas can start with {@code token-service.database.migrate-at-start}
 * false. Migrating is Quarkus' own start-up migration followed by its {@code quarkus.init-and-exit}: the process
 * stops after initialisation, before the HTTP ports open or any key, revocation or client is read.
 */
@QuarkusMain
public final class TokenServiceMain {

    public static void main(String... args) {
        if (args.length == 1 && "migrate".equals(args[0])) {
            System.setProperty("quarkus.flyway.migrate-at-start", "true");
            System.setProperty("quarkus.init-and-exit", "true");
        } else if (args.length > 0) {
            System.err.println("usage: java -jar quarkus-run.jar [migrate]");
            System.exit(2);
        }
        Quarkus.run();
    }
}
