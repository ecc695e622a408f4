package io.tokenservice.revocation;

import io.smallrye.mutiny.Uni;
import io.tokenservice.client.ClientDirectory;
import io.tokenservice.client.ClientSnapshot;
import io.tokenservice.token.VerifiedToken;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Whether one of our verified tokens is still honoured by the service's own checks (introspection, the admin
 * API): not revoked by {@code jti}, and its client still exists, is enabled, and has not cut off the tokens of
 * the version of it they were minted from (disabled, de-scoped, its tokens revoked as a whole). The client is found through
 * {@link ClientDirectory}, so a change on another replica counts here as soon as its cache learns of it.
 */
@ApplicationScoped
public class ActiveTokens {

    private final RevokedTokens revoked;
    private final ClientDirectory directory;

    ActiveTokens(RevokedTokens revoked, ClientDirectory directory) {
        this.revoked = revoked;
        this.directory = directory;
    }

    /**
     * The token's client as registered now, when the token is still honoured; empty otherwise. Fails with
     * {@link io.tokenservice.database.StoreUnavailableException} when the client must be read and cannot be.
     */
    public Uni<Optional<ClientSnapshot>> clientOf(VerifiedToken token) {
        return revoked.isRevoked(token).flatMap(isRevoked -> isRevoked
                ? Uni.createFrom().item(Optional.<ClientSnapshot>empty())
                : directory.find(List.of(token.clientId())).map(clients -> Optional.ofNullable(clients.get(token.clientId()))
                        .filter(client -> client.honoursToken(token.clientVersion(), token.clientRegistration(),
                                token.issuedAt()))));
    }
}
