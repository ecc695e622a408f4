package io.tokenservice.revocation;

import io.smallrye.mutiny.Uni;
import io.tokenservice.client.ClientDirectory;
import io.tokenservice.client.ClientSnapshot;
import io.tokenservice.token.VerifiedToken;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Whether one of our verified tokens is still honoured by the service's own checks (introspection, the admin API,
 * token exchange): not revoked by {@code jti}, and its client still exists, is enabled, and has not cut off the tokens
 * of the version of it they were minted from (disabled, de-scoped, its tokens revoked as a whole); for a token a
 * client got by exchanging another of ours, the same holds for the client that other token was issued to
 * ({@code subject_client}). Clients are found through {@link ClientDirectory}, so a change on another replica counts
 * here as soon as its cache learns of it.
 */
@ApplicationScoped
public class ActiveTokens {

    /** The claim an exchanged token carries about the client its subject token was issued to. */
    public static final String SUBJECT_CLIENT = "subject_client";

    private final RevokedTokens revoked;
    private final ClientDirectory directory;

    ActiveTokens(RevokedTokens revoked, ClientDirectory directory) {
        this.revoked = revoked;
        this.directory = directory;
    }

    /**
     * The token's client as registered now, when the token is still honoured; empty otherwise. Fails with
     * {@link io.tokenservice.database.StoreUnavailableException} when a client must be read and cannot be.
     */
    public Uni<Optional<ClientSnapshot>> clientOf(VerifiedToken token) {
        return revoked.isRevoked(token).flatMap(isRevoked -> isRevoked
                ? Uni.createFrom().item(Optional.<ClientSnapshot>empty())
                : honoured(token.clientId(), token.clientVersion(), token.clientRegistration(), token)
                        .flatMap(client -> client.isEmpty() ? Uni.createFrom().item(client)
                                : subjectClientHonours(token).map(honours -> honours ? client : Optional.empty())));
    }

    private Uni<Optional<ClientSnapshot>> honoured(String clientId, long version, OptionalLong registration,
            VerifiedToken token) {
        return directory.find(List.of(clientId)).map(clients -> Optional.ofNullable(clients.get(clientId))
                .filter(client -> client.honoursToken(version, registration, token.issuedAt())));
    }

    /** Whether the client the exchanged-for token was issued to still honours it; true for a token of no exchange. */
    private Uni<Boolean> subjectClientHonours(VerifiedToken token) {
        if (!(token.claims().get(SUBJECT_CLIENT) instanceof Map<?, ?> subject)) {
            return Uni.createFrom().item(true);
        }
        if (!(subject.get("client_id") instanceof String clientId) || !(subject.get("client_version") instanceof Number version)) {
            return Uni.createFrom().item(false);
        }
        OptionalLong registration = subject.get("client_registration") instanceof Number number
                ? OptionalLong.of(number.longValue()) : OptionalLong.empty();
        return honoured(clientId, version.longValue(), registration, token).map(Optional::isPresent);
    }
}
