package io.tokenservice.client;

import io.smallrye.mutiny.Uni;
import io.tokenservice.client.ClientCredentials.Candidate;
import io.tokenservice.throttle.FailureThrottle;
import jakarta.enterprise.context.ApplicationScoped;
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
     * from a trusted proxy). A source or client past its failure budget is refused first, before any lookup or slow
     * hash, with {@link io.tokenservice.throttle.ThrottledException}; a guess that fails is charged to both.
     */
    public Uni<ClientSnapshot> authenticate(ClientCredentials credentials, String source) {
        String presented = credentials.presentedClientId();
        throttle.check(presented, source);
        return directory.find(credentials.candidates().stream().map(Candidate::clientId).distinct().toList())
                .flatMap(clients -> verifier.verify(credentials.candidates(), clients, source)
                        .map(match -> accept(credentials, clients, match)))
                .onFailure(ClientAuthenticationException.class).invoke(failure -> {
                    AuthenticationFailure reason = ((ClientAuthenticationException) failure).reason();
                    if (reason == AuthenticationFailure.UNKNOWN_CLIENT || reason == AuthenticationFailure.BAD_SECRET) {
                        throttle.failed(presented, source);
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
