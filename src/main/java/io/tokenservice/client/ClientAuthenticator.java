package io.tokenservice.client;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.tokenservice.client.ClientCredentials.Candidate;
import io.tokenservice.client.secret.HashingFailedException;
import io.tokenservice.client.secret.HashingSaturatedException;
import io.tokenservice.throttle.FailureThrottle;
import io.tokenservice.throttle.ThrottledException;
import java.time.Duration;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    private final ClientDirectory directory;
    private final SecretVerifier verifier;
    private final FailureThrottle throttle;

    ClientAuthenticator(ClientDirectory directory, SecretVerifier verifier, FailureThrottle throttle) {
        this.directory = directory;
        this.verifier = verifier;
        this.throttle = throttle;
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
        if (reason == AuthenticationFailure.UNKNOWN_CLIENT || reason == AuthenticationFailure.BAD_SECRET) {
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
