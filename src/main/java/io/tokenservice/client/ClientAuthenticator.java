package io.tokenservice.client;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.arc.All;
import io.smallrye.mutiny.Uni;
import io.tokenservice.throttle.FailureThrottle;
import io.tokenservice.throttle.ThrottledException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Authenticates a client from the credentials a request presents, whichever way it authenticates (a
 * {@link ClientAuthenticationStrategy} each: secrets, private_key_jwt, a trusted issuer's token), and does once what
 * is the same for every way:
 * <ul>
 * <li>the failure budgets: the request is charged to its source when it arrives and given the charge back on success;
 *     a source or client past its budget is refused with {@link ThrottledException} before any lookup, fetch or slow
 *     hash, unless its credentials verify with what this replica has at hand (a warm secret: one HMAC; an assertion
 *     against cached keys: one signature, within a second budget of the same size); a failure that is a guess
 *     ({@link AuthenticationFailure#guess}) is charged to the source and to the client it names;</li>
 * <li>the policy: the client is enabled, registered for the method the request uses, and the client the request
 *     names, if it names one;</li>
 * <li>the log (a guess at debug, anything else at info, never more than a bounded, printable id) and the
 *     {@code token_service_authentications_total{method}} counter.</li>
 * </ul>
 * On the wire every failure is the same invalid_client. Fails with the strategies' exceptions when the database or
 * the hashing pool cannot serve.
 */
@ApplicationScoped
public class ClientAuthenticator {

    private static final Logger LOG = Logger.getLogger(ClientAuthenticator.class);
    private static final int LOGGED_ID_LENGTH = 64;

    private final List<ClientAuthenticationStrategy> strategies;
    private final FailureThrottle throttle;
    private final Map<ClientAuthMethod, Counter> authenticated = new EnumMap<>(ClientAuthMethod.class);

    @Inject
    ClientAuthenticator(@All List<ClientAuthenticationStrategy> strategies, FailureThrottle throttle,
            MeterRegistry registry) {
        this.strategies = List.copyOf(strategies);
        this.throttle = throttle;
        for (ClientAuthMethod method : ClientAuthMethod.values()) {
            authenticated.put(method, Counter.builder("token_service.authentications")
                    .description("Successful client authentications, by token_endpoint_auth_method")
                    .tag("method", method.value()).register(registry));
        }
    }

    /** The client the request's credentials authenticate, from {@code source} (its peer, or as a trusted proxy saw it). */
    @WithSpan("client.authenticate")
    public Uni<ClientSnapshot> authenticate(ClientAuthentication presented, String source) {
        ClientAuthenticationStrategy.Attempt attempt;
        try {
            attempt = strategyFor(presented).attempt(presented);
        } catch (ClientAuthenticationException unreadable) {
            // Nothing names a client: the source alone is charged (and refused first if its budget is spent).
            throttle.admit("", source);
            throttle.failed("", source, 1);
            throttle.finished(source);
            throw failed(unreadable.reason(), "");
        }
        try {
            throttle.admit(attempt.budgetKey(), source);
        } catch (ThrottledException throttled) {
            return atHand(attempt, source, throttled);
        }
        boolean suspect = throttle.suspect(source);
        return attempt.verify(source, suspect)
                .map(client -> allowed(attempt.method(), attempt.namedClientId(), client))
                .invoke(client -> throttle.succeeded(source))
                .eventually(() -> throttle.finished(source))
                .onFailure(ClientAuthenticationException.class).transform(failure -> {
                    AuthenticationFailure reason = ((ClientAuthenticationException) failure).reason();
                    if (reason.guess()) {
                        throttle.failed(attempt.budgetKey(), source, attempt.guesses());
                    }
                    return failed(reason, attempt.loggedId());
                })
                .invoke(client -> authenticated.get(client.authMethod()).increment());
    }

    /** For a source over its budget: only what verifies with what this replica has at hand passes; else 429. */
    private Uni<ClientSnapshot> atHand(ClientAuthenticationStrategy.Attempt attempt, String source,
            ThrottledException throttled) {
        boolean budgeted = !attempt.cheapAtHand();
        if (budgeted) {
            throttle.admitAtHand(source, throttled);
        }
        return attempt.verifyAtHand()
                .map(client -> allowed(attempt.method(), attempt.namedClientId(), client))
                .invoke(client -> {
                    if (budgeted) {
                        throttle.succeededAtHand(source);
                    }
                    authenticated.get(client.authMethod()).increment();
                })
                .onFailure(ClientAuthenticationException.class).transform(failure -> throttled);
    }

    private ClientAuthenticationStrategy strategyFor(ClientAuthentication presented) {
        return strategies.stream().filter(strategy -> strategy.reads(presented)).findFirst()
                .orElseThrow(() -> new IllegalStateException("No way to authenticate " + presented.getClass().getSimpleName()));
    }

    /**
     * The policy, once the credentials verified: the client, when it may authenticate this way.
     *
     * @throws ClientAuthenticationException MALFORMED_ASSERTION for another client than the request names, DISABLED,
     *     METHOD_MISMATCH
     */
    public static ClientSnapshot allowed(ClientAuthMethod method, Optional<String> namedClientId, ClientSnapshot client) {
        // RFC 7521 §4.2: client_id, if present, MUST identify the client the credentials authenticate.
        if (namedClientId.filter(id -> !id.equals(client.clientId())).isPresent()) {
            throw new ClientAuthenticationException(AuthenticationFailure.MALFORMED_ASSERTION);
        }
        if (!client.enabled()) {
            throw new ClientAuthenticationException(AuthenticationFailure.DISABLED);
        }
        if (client.authMethod() != method) {
            throw new ClientAuthenticationException(AuthenticationFailure.METHOD_MISMATCH);
        }
        return client;
    }

    private static ClientAuthenticationException failed(AuthenticationFailure reason, String clientId) {
        if (reason.guess()) {
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
