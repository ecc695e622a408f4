package io.tokenservice.client;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.tokenservice.client.ClientCredentials.Candidate;
import io.tokenservice.client.assertion.ClientAssertionVerifier;
import io.tokenservice.client.assertion.UnverifiedAssertion;
import io.tokenservice.client.secret.HashingFailedException;
import io.tokenservice.client.secret.HashingSaturatedException;
import io.tokenservice.throttle.FailureThrottle;
import io.tokenservice.throttle.ThrottledException;
import java.time.Duration;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Authenticates a client from the credentials a request presents: {@link ClientDirectory} finds the candidates'
 * clients, {@link SecretVerifier} decides whose secret was presented, and this class applies the policy: the
 * client must be enabled and use its registered method. A failure is a {@link ClientAuthenticationException}
 * with a named {@link AuthenticationFailure}, logged here; on the wire every one is the same invalid_client, and
 * an unknown client costs what a wrong secret costs. Fails with the directory's and the verifier's exceptions
 * when the database or the hashing pool cannot serve.
 */
@ApplicationScoped
public class ClientAuthenticator {

    private static final Logger LOG = Logger.getLogger(ClientAuthenticator.class);
    private static final int LOGGED_ID_LENGTH = 64;
    /** Failures anyone can cause without a client's secret or key: charged to the failure budget, logged at debug. */
    private static final Set<AuthenticationFailure> GUESSES = EnumSet.of(AuthenticationFailure.UNKNOWN_CLIENT,
            AuthenticationFailure.BAD_SECRET, AuthenticationFailure.MALFORMED_ASSERTION,
            AuthenticationFailure.BAD_SIGNATURE, AuthenticationFailure.REPLAYED_ASSERTION,
            AuthenticationFailure.UNKNOWN_SUBJECT);
    /**
     * An assertion naming a client of another method proves nothing either (only a right secret does so for a secret
     * client): charged like the rest, or the budgets would tell a secret client's id from an unknown one.
     */
    private static final Set<AuthenticationFailure> ASSERTION_GUESSES = EnumSet.of(AuthenticationFailure.UNKNOWN_CLIENT,
            AuthenticationFailure.BAD_SECRET, AuthenticationFailure.MALFORMED_ASSERTION,
            AuthenticationFailure.BAD_SIGNATURE, AuthenticationFailure.REPLAYED_ASSERTION,
            AuthenticationFailure.UNKNOWN_SUBJECT, AuthenticationFailure.METHOD_MISMATCH);

    private final ClientDirectory directory;
    private final SecretVerifier verifier;
    private final ClientAssertionVerifier assertions;
    private final FailureThrottle throttle;
    private final Map<ClientAuthMethod, Counter> authenticated = new EnumMap<>(ClientAuthMethod.class);

    ClientAuthenticator(ClientDirectory directory, SecretVerifier verifier, ClientAssertionVerifier assertions,
            FailureThrottle throttle, MeterRegistry registry) {
        this.directory = directory;
        this.verifier = verifier;
        this.assertions = assertions;
        this.throttle = throttle;
        for (ClientAuthMethod method : ClientAuthMethod.values()) {
            authenticated.put(method, Counter.builder("token_service.authentications")
                    .description("Successful client authentications, by token_endpoint_auth_method")
                    .tag("method", method.value()).register(registry));
        }
    }

    /** Authenticates the client by what the request presents: a secret or a client assertion. */
    public Uni<ClientSnapshot> authenticate(ClientAuthentication presented, String source) {
        Uni<ClientSnapshot> authenticated = presented instanceof ClientAssertion assertion
                ? authenticate(assertion, source)
                : authenticate((ClientCredentials) presented, source);
        return authenticated.invoke(client -> this.authenticated.get(client.authMethod()).increment());
    }

    /**
     * Authenticates a client by an assertion (private_key_jwt, or a trusted issuer's token for a federated client),
     * under the same failure budget as secrets: a source past its budget is refused unless its assertion verifies
     * against what this replica has at hand (a cached client, keys inline or fetched within cache-for; no lookup or
     * fetch), as a warm secret passes: clients with keys behind an address shared with a guesser keep working. A
     * malformed assertion, an unknown client or subject, a bad signature or a replay is charged to the source and to
     * the client (or the trusted issuer's subject) the assertion names.
     */
    @WithSpan("client.authenticate")
    public Uni<ClientSnapshot> authenticate(ClientAssertion presented, String source) {
        UnverifiedAssertion assertion;
        try {
            assertion = UnverifiedAssertion.parse(presented.jwt());
        } catch (ClientAuthenticationException malformed) {
            throttle.admit("", source);
            throttle.failed("", source, 1);
            throttle.finished(source);
            throw failed(AuthenticationFailure.MALFORMED_ASSERTION, presented.clientId().orElse(""));
        }
        String clientId = assertion.issuer();
        // A trusted issuer's tokens are budgeted by subject (each its own workload), a client's own by its id. Before
        // a replica's first read of the stored issuers only configured ones are known: briefly, by issuer URL.
        String named = assertions.isTrustedIssuer(clientId) ? assertion.subject() : clientId;
        String budgetKey = ClientIds.isValid(named) ? named : "";
        try {
            throttle.admit(budgetKey, source);
        } catch (ThrottledException throttled) {
            throttle.admitAtHand(source, throttled);
            return assertions.verifyWithoutLookup(presented, assertion)
                    .invoke(client -> throttle.succeededAtHand(source))
                    .onFailure(ClientAuthenticationException.class).transform(failure -> throttled);
        }
        return assertions.verify(presented, assertion)
                .invoke(client -> throttle.succeeded(source))
                .eventually(() -> throttle.finished(source))
                .onFailure(ClientAuthenticationException.class).transform(failure -> {
                    AuthenticationFailure reason = ((ClientAuthenticationException) failure).reason();
                    if (ASSERTION_GUESSES.contains(reason)) {
                        throttle.failed(budgetKey, source, 1);
                    }
                    return failed(reason, clientId);
                });
    }

    /**
     * Authenticates the client the request presents from {@code source} (its peer address, or the forwarded one
     * from a trusted proxy). The request is charged to the source's failure budget first and given it back on
     * success; a source or client past its budget is refused before any lookup or slow hash with
     * {@link ThrottledException}, unless it presents a secret this replica already trusts for a cached client (one
     * HMAC: clients behind a shared address are not locked out by a guesser beside them). A guess that fails is
     * charged to the source and to the client.
     */
    @WithSpan("client.authenticate")
    public Uni<ClientSnapshot> authenticate(ClientCredentials credentials, String source) {
        List<String> ids = credentials.candidates().stream().map(Candidate::clientId).distinct().toList();
        // An id no client can have is budgeted under one key, not under a key of its own size.
        String budgetKey = ClientIds.isValid(credentials.presentedClientId()) ? credentials.presentedClientId() : "";
        try {
            throttle.admit(budgetKey, source);
        } catch (ThrottledException throttled) {
            Map<String, ClientSnapshot> cached = directory.cachedOnly(ids);
            Optional<SecretVerifier.Match> warm = verifier.warmMatch(credentials.candidates(), cached);
            if (warm.isEmpty()) {
                throw throttled;
            }
            return Uni.createFrom().item(() -> accept(credentials, cached, warm));
        }
        boolean suspect = throttle.suspect(source);
        return directory.find(ids)
                .flatMap(clients -> verifier.verify(credentials.candidates(), clients, source, suspect)
                        .map(match -> accept(credentials, clients, match)))
                .invoke(client -> throttle.succeeded(source))
                .eventually(() -> throttle.finished(source))
                // A source that failed recently and finds its lane full, or waits past the verification time limit
                // there, is told to slow down, not that we are down.
                .onFailure(failure -> suspect
                        && (failure instanceof HashingSaturatedException || failure instanceof HashingFailedException))
                .transform(failure -> new ThrottledException(ThrottledException.Limit.SUSPECT_LANE,
                        "Too many failed client authentications", Duration.ofSeconds(1)))
                .onFailure(ClientAuthenticationException.class).invoke(failure -> {
                    AuthenticationFailure reason = ((ClientAuthenticationException) failure).reason();
                    if (reason == AuthenticationFailure.UNKNOWN_CLIENT || reason == AuthenticationFailure.BAD_SECRET) {
                        throttle.failed(budgetKey, source, credentials.candidates().size());
                    }
                });
    }

    /**
     * The policy, on what was found and verified: the matched client when it may authenticate this way.
     *
     * @throws ClientAuthenticationException with the reason it may not
     */
    static ClientSnapshot accept(ClientCredentials credentials, Map<String, ClientSnapshot> clients,
            Optional<SecretVerifier.Match> match) {
        if (match.isEmpty()) {
            throw failed(clients.isEmpty() ? AuthenticationFailure.UNKNOWN_CLIENT : AuthenticationFailure.BAD_SECRET,
                    credentials.presentedClientId());
        }
        ClientSnapshot client = match.get().client();
        if (!client.enabled()) {
            throw failed(AuthenticationFailure.DISABLED, client.clientId());
        }
        if (client.authMethod() != credentials.method()) {
            throw failed(AuthenticationFailure.METHOD_MISMATCH, client.clientId());
        }
        return client;
    }

    private static ClientAuthenticationException failed(AuthenticationFailure reason, String clientId) {
        if (GUESSES.contains(reason)) {
            // At the rate of guesses: debug only.
            LOG.debugf("invalid_client: %s for client_id '%s'", reason, loggable(clientId));
        } else {
            LOG.infof("invalid_client: %s for client '%s'", reason, loggable(clientId));
        }
        return new ClientAuthenticationException(reason);
    }

    /** A client id as the log may show it: bounded, printable, no line breaks to forge entries with. */
    private static String loggable(String clientId) {
        String bounded = clientId.length() > LOGGED_ID_LENGTH ? clientId.substring(0, LOGGED_ID_LENGTH) + "..." : clientId;
        return bounded.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
