package io.tokenservice.client;

import io.smallrye.mutiny.Uni;
import io.tokenservice.client.ClientCredentials.Candidate;
import io.tokenservice.client.secret.HashingFailedException;
import io.tokenservice.client.secret.HashingSaturatedException;
import io.tokenservice.throttle.ThrottledException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * client_secret_basic and client_secret_post (RFC 6749 §2.3.1): {@link ClientDirectory} finds the candidates'
 * clients and {@link SecretVerifier} decides whose secret was presented, an unknown client costing what a wrong secret
 * costs. At hand, a secret this replica already trusts for a cached client costs one HMAC. A source that failed
 * recently and finds its hashing lane full, or waits past the verification time limit there, is told to slow down
 * ({@link ThrottledException}), not that we are down.
 */
@ApplicationScoped
public class SecretAuthentication implements ClientAuthenticationStrategy {

    private final ClientDirectory directory;
    private final SecretVerifier verifier;

    SecretAuthentication(ClientDirectory directory, SecretVerifier verifier) {
        this.directory = directory;
        this.verifier = verifier;
    }

    @Override
    public boolean reads(ClientAuthentication presented) {
        return presented instanceof ClientCredentials;
    }

    @Override
    public Attempt attempt(ClientAuthentication presented) {
        ClientCredentials credentials = (ClientCredentials) presented;
        List<String> ids = credentials.candidates().stream().map(Candidate::clientId).distinct().toList();
        return new Attempt() {
            @Override
            public String budgetKey() {
                // An id no client can have is budgeted under one key, not under a key of its own size.
                return ClientIds.isValid(credentials.presentedClientId()) ? credentials.presentedClientId() : "";
            }

            @Override
            public int guesses() {
                return credentials.candidates().size();
            }

            @Override
            public ClientAuthMethod method() {
                return credentials.method();
            }

            @Override
            public Optional<String> namedClientId() {
                // A body client_id beside a Basic header was matched against it when the request was read.
                return Optional.empty();
            }

            @Override
            public String loggedId() {
                return credentials.presentedClientId();
            }

            @Override
            public Uni<ClientSnapshot> verify(String source, boolean suspect) {
                return directory.find(ids)
                        .flatMap(clients -> verifier.verify(credentials.candidates(), clients, source, suspect)
                                .map(match -> matched(clients, match)))
                        .onFailure(failure -> suspect
                                && (failure instanceof HashingSaturatedException || failure instanceof HashingFailedException))
                        .transform(failure -> new ThrottledException(ThrottledException.Limit.SUSPECT_LANE,
                                "Too many failed client authentications", Duration.ofSeconds(1)));
            }

            @Override
            public Uni<ClientSnapshot> verifyAtHand() {
                Map<String, ClientSnapshot> cached = directory.cachedOnly(ids);
                return Uni.createFrom().item(() -> matched(cached, verifier.warmMatch(credentials.candidates(), cached)));
            }

            @Override
            public boolean cheapAtHand() {
                return true;
            }
        };
    }

    /**
     * The client whose secret matched.
     *
     * @throws ClientAuthenticationException UNKNOWN_CLIENT when no candidate's client exists, BAD_SECRET otherwise
     */
    static ClientSnapshot matched(Map<String, ClientSnapshot> clients, Optional<SecretVerifier.Match> match) {
        return match.map(SecretVerifier.Match::client).orElseThrow(() -> new ClientAuthenticationException(
                clients.isEmpty() ? AuthenticationFailure.UNKNOWN_CLIENT : AuthenticationFailure.BAD_SECRET));
    }
}
