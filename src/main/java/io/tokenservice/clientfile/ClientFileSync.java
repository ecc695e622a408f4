package io.tokenservice.clientfile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tokenservice.admin.AdminAudit;
import io.tokenservice.admin.clients.ClientChanges;
import io.tokenservice.admin.clients.ClientMetadataParser;
import io.tokenservice.client.ClientDirectory;
import io.tokenservice.client.ClientExistsException;
import io.tokenservice.client.RegisteredClient;
import io.tokenservice.clientfile.ClientFile.Declaration;
import io.tokenservice.clientfile.ClientFilePlan.Change;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.database.BackgroundWork;
import io.tokenservice.database.ChangeChannel;
import io.tokenservice.error.OAuthException;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Applies the clients file to the database: at start, and whenever the file or a secret hash file it names changes
 * (looked at every {@code token-service.clients.file-check-interval}). An invalid file is never applied, in part or
 * whole: its errors are logged once and counted ({@code token_service_clients_file_errors}), and what was applied
 * before stays. Every change goes through {@link ClientChanges} with actor {@code config}, as the admin API's do.
 * <p>
 * Replicas reading the same file do not fight. Each applies in one transaction holding the lock of the row that
 * records what was applied ({@code client_file_state}): the first applies, the others find its digest and do
 * nothing. A replica applies only what it has just read: when another replica applied a different file since this
 * one last knew (announced on channel {@code token_service_client_file}), its own copy is the older one (a
 * ConfigMap reaches the pods of a Deployment one by one), and it waits for the copy to catch up. At start a replica
 * takes its copy to be current.
 */
@ApplicationScoped
public class ClientFileSync implements ChangeChannel {

    static final String ACTOR = "config";
    private static final Logger LOG = Logger.getLogger(ClientFileSync.class);
    private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(60);

    /** How an application ended. */
    public enum Outcome { APPLIED, UNCHANGED, BEHIND }

    /** What an application did, and the generation of what is applied now. */
    public record Result(Outcome outcome, List<Change> changes, long generation) {
    }

    private final Optional<Path> file;
    private final Duration interval;
    private final ClientFile reader;
    private final ClientMetadataParser parser;
    private final ClientChanges changes;
    private final ClientDirectory directory;
    private final AdminAudit audit;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final Pool pool;

    // The latest generation this replica knows was applied, by any replica; -1 before it knows any.
    private final AtomicLong latestGeneration = new AtomicLong(-1);
    private final AtomicBoolean checking = new AtomicBoolean();
    private final AtomicInteger errorCount = new AtomicInteger();
    // What this replica read last: the digest of its valid content, the generation known when it first read it, its
    // errors when invalid, and the declaration not applied yet (a failed application is tried again).
    private String lastDigest;
    private long knownAtSighting;
    private List<String> lastErrors = List.of();
    private String lastFailure;
    private Declaration pending;
    private long timer = -1;

    ClientFileSync(TokenServiceConfig config, ClientFile reader, ClientMetadataParser parser, ClientChanges changes,
            ClientDirectory directory, AdminAudit audit, ObjectMapper json, Vertx vertx, Pool pool,
            MeterRegistry registry) {
        this.file = config.clients().file();
        this.interval = config.clients().fileCheckInterval();
        if (file.isPresent() && interval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalStateException("token-service.clients.file-check-interval must be at least 100ms");
        }
        this.reader = reader;
        this.parser = parser;
        this.changes = changes;
        this.directory = directory;
        this.audit = audit;
        this.json = json;
        this.vertx = vertx;
        this.pool = pool;
        if (file.isPresent()) {
            Gauge.builder("token_service.clients.file.errors", errorCount, AtomicInteger::get)
                    .description("Errors in the clients file as last read; while above 0 it is not applied")
                    .register(registry);
        }
    }

    /** Applies the clients file, then looks at it every check interval: one of the start-up reads of a serving replica. */
    public void start() {
        if (file.isEmpty()) {
            return;
        }
        // At start this replica's copy is taken to be current: whatever another applied, this one applies it.
        Optional<Declaration> read = readFile();
        read.ifPresent(declaration -> {
            try {
                report(VertxContextSupport.subscribeAndAwait(() -> apply(declaration, -1)));
                synchronized (this) {
                    pending = null;
                }
            } catch (Throwable e) {
                failed(e);
            }
        });
        timer = vertx.setPeriodic(interval.toMillis(), id -> check());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Reads the file off the event loop and applies what changed; one check at a time. */
    private void check() {
        if (!checking.compareAndSet(false, true)) {
            return;
        }
        boolean started = BackgroundWork.start(() -> Uni.createFrom().completionStage(() ->
                        vertx.executeBlocking(this::readFile, false).toCompletionStage())
                .flatMap(read -> {
                    Declaration declaration;
                    long known;
                    synchronized (this) {
                        declaration = pending;
                        known = knownAtSighting;
                    }
                    return declaration == null ? Uni.createFrom().voidItem()
                            : apply(declaration, known).invoke(result -> {
                                synchronized (this) {
                                    if (pending == declaration) {
                                        pending = null;
                                    }
                                }
                                report(result);
                            }).replaceWithVoid();
                })
                .eventually(() -> checking.set(false))
                .subscribe().with(ignored -> { }, this::failed));
        if (!started) {
            checking.set(false);
        }
    }

    /**
     * Reads the file; a valid content not read before becomes the pending one, with the generation known now. An
     * invalid one is logged when its errors are new. Blocks.
     */
    private Optional<Declaration> readFile() {
        ClientFile.Reading reading = reader.read(file.get(), true);
        synchronized (this) {
            if (reading.declaration().isEmpty()) {
                // A content not applied yet and replaced by an invalid one is withdrawn, not applied later.
                pending = null;
                lastDigest = null;
                errorCount.set(reading.errors().size());
                if (!reading.errors().equals(lastErrors)) {
                    lastErrors = reading.errors();
                    LOG.errorf("The clients file %s is invalid and is not applied (what was applied before stays):%n  %s",
                            file.get(), String.join(System.lineSeparator() + "  ", reading.errors()));
                }
                return Optional.empty();
            }
            lastErrors = List.of();
            Declaration declaration = reading.declaration().get();
            if (!declaration.digest().equals(lastDigest)) {
                errorCount.set(0);
                lastDigest = declaration.digest();
                knownAtSighting = latestGeneration.get();
                pending = declaration;
            }
            return Optional.of(declaration);
        }
    }

    /**
     * An application failed. When the database was away it is tried again at the next check. When what is stored
     * refuses the file (an id the admin API registered, a jwks_uri that is a trusted issuer's), nothing of it was
     * applied and it is not tried again until the file changes: counted as errors of the file, logged once.
     */
    private void failed(Throwable failure) {
        boolean refused = failure instanceof ClientFileRefusedException || failure instanceof OAuthException
                || failure instanceof ClientExistsException;
        String reason = failure instanceof ClientFileRefusedException conflicts
                ? String.join(System.lineSeparator() + "  ", conflicts.conflicts())
                : failure instanceof OAuthException oauth ? oauth.description() : failure.toString();
        synchronized (this) {
            if (refused) {
                pending = null;
                errorCount.set(failure instanceof ClientFileRefusedException conflicts ? conflicts.conflicts().size() : 1);
            }
            if (reason.equals(lastFailure)) {
                return;
            }
            lastFailure = reason;
        }
        if (refused) {
            LOG.errorf("The clients file %s is refused and is not applied (what was applied before stays):%n  %s",
                    file.get(), reason);
        } else {
            LOG.warnf("Cannot apply the clients file %s, trying again every %s: %s", file.get(), interval, reason);
        }
    }

    private void report(Result result) {
        synchronized (this) {
            lastFailure = null;
            errorCount.set(0);
        }
        switch (result.outcome()) {
            case APPLIED -> LOG.infof("Clients file %s applied (generation %d): %d change(s)%s", file.get(),
                    result.generation(), result.changes().size(), result.changes().isEmpty() ? ""
                            : System.lineSeparator() + "  " + String.join(System.lineSeparator() + "  ",
                                    result.changes().stream().map(Change::describe).toList()));
            case UNCHANGED -> LOG.debugf("Clients file %s is applied already (generation %d)", file.get(),
                    result.generation());
            case BEHIND -> LOG.infof("Clients file %s differs from what another replica applied since this one read "
                    + "it (generation %d): waiting for this copy to catch up", file.get(), result.generation());
        }
    }

    /**
     * Applies {@code declaration} in one transaction under the file state's row lock, unless it is applied already or
     * another replica applied something after {@code knownGeneration} (-1: apply whatever was applied since).
     */
    public Uni<Result> apply(Declaration declaration, long knownGeneration) {
        return Panache.withTransaction(() -> lockedState().flatMap(state -> {
                    latestGeneration.accumulateAndGet(state.generation(), Math::max);
                    boolean atStart = knownGeneration < 0;
                    if (declaration.digest().equals(state.digest()) && !atStart) {
                        return Uni.createFrom().item(new Result(Outcome.UNCHANGED, List.of(), state.generation()));
                    }
                    if (!atStart && state.generation() > knownGeneration) {
                        return Uni.createFrom().item(new Result(Outcome.BEHIND, List.of(), state.generation()));
                    }
                    return stored(declaration).flatMap(stored -> {
                        ClientFilePlan.Plan found = ClientFilePlan.between(declaration, stored, json);
                        if (!found.conflicts().isEmpty()) {
                            return Uni.createFrom().failure(new ClientFileRefusedException(found.conflicts()));
                        }
                        List<Change> plan = found.changes();
                        if (plan.isEmpty() && declaration.digest().equals(state.digest())) {
                            // At start, what is stored is what the file says: nothing drifted.
                            return Uni.createFrom().item(new Result(Outcome.UNCHANGED, List.of(), state.generation()));
                        }
                        long next = state.generation() + 1;
                        // One change after another on the transaction's session, however many the file has.
                        return Multi.createFrom().iterable(plan).onItem()
                                .transformToUniAndConcatenate(change -> apply(change).replaceWith(change))
                                .collect().last()
                                .call(() -> recordApplied(declaration.digest(), next))
                                .replaceWith(new Result(Outcome.APPLIED, plan, next));
                    });
                }))
                .ifNoItem().after(APPLY_TIMEOUT).fail()
                .invoke(result -> {
                    latestGeneration.accumulateAndGet(result.generation(), Math::max);
                    // This replica drops its copies now; the others when PostgreSQL's notifications arrive.
                    result.changes().forEach(change -> {
                        if (change.kind() == ClientFilePlan.Kind.CREATE) {
                            directory.created(change.clientId());
                        } else {
                            directory.changed(change.clientId());
                        }
                    });
                });
    }

    /** What applying {@code declaration} would change now, or what keeps it from applying; changes nothing. */
    public Uni<ClientFilePlan.Plan> plan(Declaration declaration) {
        return Panache.withSession(() -> stored(declaration))
                .map(stored -> ClientFilePlan.between(declaration, stored, json));
    }

    private Uni<Void> apply(Change change) {
        return switch (change.kind()) {
            case CREATE -> changes.register(change.declared().client(), change.declared().secretHash(), "declared", ACTOR);
            case REMOVE -> changes.delete(change.stored(), ACTOR);
            case CHANGE -> changes.change(change.stored(), parser.patch(change.patch()), newSecret(change), ACTOR);
            case ADOPT -> {
                change.stored().source = RegisteredClient.CONFIG;
                yield audit.recordAs(ACTOR, "client.adopted", change.clientId(), "source=config (was api)")
                        .call(() -> changes.change(change.stored(), parser.patch(change.patch()), newSecret(change), ACTOR));
            }
        };
    }

    private static ClientChanges.NewSecret newSecret(Change change) {
        return change.secretReplaced()
                ? new ClientChanges.NewSecret(change.declared().secretHash(), change.declared().previousValidFor()) : null;
    }

    /** The clients the file declared before, and the stored clients of the ids it declares now. */
    private static Uni<List<RegisteredClient>> stored(Declaration declaration) {
        List<String> ids = declaration.clients().stream().map(ClientFile.DeclaredClient::clientId).toList();
        return ids.isEmpty() ? RegisteredClient.list("source", RegisteredClient.CONFIG)
                : RegisteredClient.list("source = ?1 or clientId in ?2", RegisteredClient.CONFIG, ids);
    }

    private record State(String digest, long generation) {
    }

    private static Uni<State> lockedState() {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "SELECT coalesce(digest, '') || ' ' || generation FROM token_service.client_file_state FOR UPDATE",
                        String.class).getSingleResult())
                .map(row -> {
                    int space = row.lastIndexOf(' ');
                    return new State(row.substring(0, space), Long.parseLong(row.substring(space + 1)));
                });
    }

    private static Uni<Void> recordApplied(String digest, long generation) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery("""
                        UPDATE token_service.client_file_state
                        SET digest = :digest, generation = :generation, applied_at = now()
                        """).setParameter("digest", digest).setParameter("generation", generation).executeUpdate())
                .replaceWithVoid();
    }

    @Override
    public String channel() {
        return "token_service_client_file";
    }

    /** Announcements may have been missed: learn the generation applied now. */
    @Override
    public void subscribed() {
        if (file.isEmpty()) {
            return;
        }
        pool.query("SELECT generation FROM token_service.client_file_state").execute()
                .subscribe().with(rows -> rows.forEach(row -> latestGeneration.accumulateAndGet(row.getLong(0), Math::max)),
                        failure -> LOG.debugf("Cannot read the clients file's generation: %s", failure));
    }

    /** Another replica (or this one) applied a file: its generation. */
    @Override
    public void announced(String payload) {
        try {
            latestGeneration.accumulateAndGet(Long.parseLong(payload), Math::max);
        } catch (NumberFormatException e) {
            LOG.debugf("Ignoring a clients file announcement without a generation: %s", payload);
        }
    }
}
