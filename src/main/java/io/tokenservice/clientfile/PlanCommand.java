package io.tokenservice.clientfile;

import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.vertx.VertxContextSupport;
import io.tokenservice.clientfile.ClientFilePlan.Change;
import io.tokenservice.config.Launch;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.database.SchemaCheck;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code java -jar quarkus-run.jar plan [--offline]}: what applying the clients file would change, for the CI of the
 * repository that holds it. Prints every error of an invalid file and exits 1; prints the changes against the
 * database and exits 0 for a valid one, 3 when the database cannot be read or its schema is not this build's
 * (with {@code --offline}: validates the file alone, secret hash references
 * named but not read, and exits 0). Changes nothing.
 */
public class PlanCommand implements QuarkusApplication {

    static final int INVALID = 1;
    static final int NO_FILE = 2;
    static final int DATABASE_UNAVAILABLE = 3;

    private final ClientFile reader;
    private final ClientFileSync sync;
    private final SchemaCheck schema;
    private final Optional<Path> file;

    @Inject
    PlanCommand(ClientFile reader, ClientFileSync sync, SchemaCheck schema, TokenServiceConfig config) {
        this.reader = reader;
        this.sync = sync;
        this.schema = schema;
        this.file = config.clients().file();
    }

    @Override
    public int run(String... args) throws Exception {
        PrintStream out = System.out;
        if (file.isEmpty()) {
            System.err.println("plan: no clients file: set token-service.clients.file (TOKEN_SERVICE_CLIENTS_FILE)");
            return NO_FILE;
        }
        boolean offline = Launch.current() == Launch.OFFLINE_PLAN;
        ClientFile.Reading reading = reader.read(file.get(), !offline);
        if (reading.declaration().isEmpty()) {
            out.println("plan: " + file.get() + " is invalid; nothing in it would be applied ("
                    + reading.errors().size() + " error(s)):");
            reading.errors().forEach(error -> out.println("  " + error));
            return INVALID;
        }
        ClientFile.Declaration declaration = reading.declaration().get();
        if (offline) {
            out.println("plan: " + file.get() + " is valid: " + declaration.clients().size()
                    + " client(s); secret hash references were not read (--offline)");
            return 0;
        }
        ClientFilePlan.Plan plan;
        try {
            String verdict = VertxContextSupport.subscribeAndAwait(schema::verdict);
            if (verdict != null) {
                System.err.println("plan: cannot compare with the database: " + verdict);
                return DATABASE_UNAVAILABLE;
            }
            plan = VertxContextSupport.subscribeAndAwait(() -> sync.plan(declaration));
        } catch (Throwable e) {
            System.err.println("plan: cannot compare with the database: " + e);
            return DATABASE_UNAVAILABLE;
        }
        if (!plan.conflicts().isEmpty()) {
            out.println("plan: " + file.get() + " conflicts with what is stored; nothing in it would be applied ("
                    + plan.conflicts().size() + " error(s)):");
            plan.conflicts().forEach(conflict -> out.println("  " + conflict));
            return INVALID;
        }
        List<Change> changes = plan.changes();
        out.println("plan: " + file.get() + " is valid: " + declaration.clients().size() + " client(s)");
        changes.forEach(change -> out.println("  " + change.describe()));
        Map<ClientFilePlan.Kind, Long> counts = changes.stream()
                .collect(Collectors.groupingBy(Change::kind, Collectors.counting()));
        Function<ClientFilePlan.Kind, Long> count = kind -> counts.getOrDefault(kind, 0L);
        out.printf("Plan: %d to create, %d to change, %d to adopt, %d to remove.%n", count.apply(ClientFilePlan.Kind.CREATE),
                count.apply(ClientFilePlan.Kind.CHANGE), count.apply(ClientFilePlan.Kind.ADOPT),
                count.apply(ClientFilePlan.Kind.REMOVE));
        return 0;
    }
}
