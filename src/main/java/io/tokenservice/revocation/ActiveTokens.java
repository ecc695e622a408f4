package io.tokenservice.revocation;

import io.smallrye.mutiny.Uni;
import io.tokenservice.client.ClientDirectory;
import io.tokenservice.client.ClientSnapshot;
import io.tokenservice.token.VerifiedToken;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Whether one of our verified tokens is still honoured by the service's own checks (introspection, the admin API,
 * token exchange): not revoked by {@code jti}, and its client still exists, is enabled, and has not cut off the tokens
 * of the version of it they were minted from (disabled, de-scoped, its tokens revoked as a whole); for a token made
 * by exchange, the same holds for every token it was exchanged from and each one's client ({@link ExchangedFrom}).
 * Clients are found through {@link ClientDirectory}, so a change on another replica counts here as soon as its cache
 * learns of it.
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
     * {@link io.tokenservice.database.StoreUnavailableException} when a client must be read and cannot be.
     */
    public Uni<Optional<ClientSnapshot>> clientOf(VerifiedToken token) {
        Optional<ExchangedFrom> chain = ExchangedFrom.of(token);
        if (chain.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        List<ExchangedFrom.Link> links = chain.get().through(token);
        return noneRevoked(links, 0).flatMap(none -> {
            if (!none) {
                return Uni.createFrom().item(Optional.<ClientSnapshot>empty());
            }
            return directory.find(links.stream().map(ExchangedFrom.Link::clientId).distinct().toList())
                    .map(clients -> links.stream().allMatch(link -> honours(clients.get(link.clientId()), link))
                            ? Optional.of(clients.get(token.clientId())) : Optional.<ClientSnapshot>empty());
        });
    }

    /** Whether none of the tokens from {@code index} on was revoked: one after the other, each mostly from memory. */
    private Uni<Boolean> noneRevoked(List<ExchangedFrom.Link> links, int index) {
        if (index == links.size()) {
            return Uni.createFrom().item(true);
        }
        return revoked.isRevoked(links.get(index).jwtId()).flatMap(isRevoked -> isRevoked
                ? Uni.createFrom().item(false) : noneRevoked(links, index + 1));
    }

    private static boolean honours(ClientSnapshot client, ExchangedFrom.Link link) {
        return client != null && client.honoursToken(link.clientVersion(), link.clientRegistration(), link.issuedAt());
    }
}
