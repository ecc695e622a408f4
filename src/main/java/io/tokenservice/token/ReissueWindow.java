package io.tokenservice.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Uni;
import io.tokenservice.client.ClientSnapshot;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.key.SigningKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The one owner of whether a request gets a token signed anew or the token this replica already issued for the same
 * request. A client that asks again with the same request (the same grant decided on the same version and
 * registration of it: subject, scopes as a set, audience as a set, lifetime, typ, and the same further claims, so no
 * binding or the same binding) while that token has at least {@code token-service.reissue.min-remaining} of its
 * lifetime left gets it back, {@code expires_in} its remaining whole seconds: no signature, the one cost a repeat
 * request would otherwise pay in full. The client already holds that token, so handing it out again gives nobody
 * anything they did not have.
 *
 * <p>Never a token our own checks would refuse: not after its revocation ({@link TokenRevocations}), nor after any
 * change of its client (every change, a cut-off included, gives the client a new version, so a new grant), nor once
 * its key no longer signs (rotation, retirement, or keys gone stale here: then signing fails as it would). Never an
 * admin token, and never for a client registered with {@code "reissue": false} or with
 * {@code token-service.reissue.enabled} off.
 *
 * <p>Bounded: at most {@code token-service.reissue.max-entries} tokens per replica and
 * {@code token-service.reissue.max-entries-per-client} per client (its most recent distinct requests); a token past
 * its reissue window is dropped when its client's next token is kept.
 */
@ApplicationScoped
public class ReissueWindow {

    private final AccessTokenMinter minter;
    private final SigningKeys keys;
    private final TokenRevocations revocations;
    private final AdminAuthority admin;
    private final IssuedTokens counted;
    private final Clock clock;
    private final boolean enabled;
    private final double minRemaining;
    private final int perClient;
    private final Cache<String, List<Held>> byClient;

    @Inject
    ReissueWindow(AccessTokenMinter minter, SigningKeys keys, TokenRevocations revocations, AdminAuthority admin,
            IssuedTokens counted, TokenServiceConfig config) {
        this(minter, keys, revocations, admin, counted, Clock.systemUTC(), config.reissue());
    }

    ReissueWindow(AccessTokenMinter minter, SigningKeys keys, TokenRevocations revocations, AdminAuthority admin,
            IssuedTokens counted, Clock clock, TokenServiceConfig.Reissue config) {
        if (!(config.minRemaining() >= 0 && config.minRemaining() <= 1)) {
            throw new IllegalArgumentException("token-service.reissue.min-remaining must be between 0 and 1");
        }
        if (config.maxEntries() < 1 || config.maxEntriesPerClient() < 1) {
            throw new IllegalArgumentException("token-service.reissue.max-entries and max-entries-per-client must be "
                    + "at least 1; turn reissue off with token-service.reissue.enabled=false");
        }
        this.minter = minter;
        this.keys = keys;
        this.revocations = revocations;
        this.admin = admin;
        this.counted = counted;
        this.clock = clock;
        this.enabled = config.enabled();
        this.minRemaining = config.minRemaining();
        this.perClient = config.maxEntriesPerClient();
        // Evicting on the caller's thread keeps the bound exact; the work is a few map operations.
        this.byClient = Caffeine.newBuilder().maximumWeight(config.maxEntries())
                .weigher((String clientId, List<Held> held) -> held.size()).executor(Runnable::run).build();
    }

    /**
     * The token for {@code grant}: the one already issued for the same request when it may be handed out again, else
     * one signed now. Fails as {@link AccessTokenMinter#mint} does, and as {@link TokenRevocations} does when a
     * revocation must be read and cannot be.
     */
    public Uni<AccessToken> issue(ClientSnapshot client, AccessGrant grant) {
        if (!enabled || !client.reissue() || admin.isAdminAudience(grant.audience())) {
            return Uni.createFrom().item(() -> minter.mint(grant));
        }
        Request request = Request.of(grant);
        return Uni.createFrom().item(() -> held(client, request)).flatMap(held -> {
            if (held.isEmpty()) {
                return Uni.createFrom().item(() -> signAndHold(client.clientId(), request, grant));
            }
            return revocations.isRevoked(held.get().minted().jwtId()).map(revoked -> revoked
                    ? signAndHold(client.clientId(), request, grant) : reissued(client.clientId(), held.get()));
        });
    }

    /** How many tokens this replica keeps for reissue. */
    long held() {
        return byClient.asMap().values().stream().mapToLong(List::size).sum();
    }

    /**
     * The token held for this request while it may be handed out again.
     *
     * @throws io.tokenservice.key.NoSigningKeyException while no key may sign (keys gone stale): nor may it reissue
     */
    private Optional<Held> held(ClientSnapshot client, Request request) {
        String signingKid = keys.active().kid();
        List<Held> held = byClient.getIfPresent(client.clientId());
        if (held == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return held.stream()
                .filter(entry -> entry.request().equals(request) && entry.minted().kid().equals(signingKid)
                        && entry.reissuableAt(now, minRemaining)
                        && client.honoursToken(request.clientVersion(), OptionalLong.of(request.clientRegistration()),
                                entry.minted().issuedAt()))
                .findFirst();
    }

    private AccessToken reissued(String clientId, Held held) {
        counted.countReissued(clientId);
        AccessToken token = held.minted().token();
        long remaining = Duration.between(clock.instant(), held.minted().expiresAt()).getSeconds();
        return new AccessToken(token.jwt(), remaining, token.scopes());
    }

    private AccessToken signAndHold(String clientId, Request request, AccessGrant grant) {
        AccessTokenMinter.Minted minted = minter.signed(grant);
        Instant now = clock.instant();
        byClient.asMap().compute(clientId, (id, held) -> {
            List<Held> kept = new ArrayList<>(perClient);
            kept.add(new Held(request, minted));
            if (held != null) {
                for (Held entry : held) {
                    if (kept.size() < perClient && !entry.request().equals(request) && entry.reissuableAt(now, minRemaining)) {
                        kept.add(entry);
                    }
                }
            }
            return List.copyOf(kept);
        });
        return minted.token();
    }

    /** What makes two requests of one client the same request: everything their tokens would carry but the times. */
    record Request(String subject, Set<String> scopes, Set<String> audience, Duration lifetime, long clientVersion,
            long clientRegistration, String typ, Map<String, Object> claims) {

        static Request of(AccessGrant grant) {
            return new Request(grant.subject(), Set.copyOf(grant.scopes()), Set.copyOf(grant.audience()), grant.lifetime(),
                    grant.clientVersion(), grant.clientRegistration(), grant.typ(), grant.claims());
        }
    }

    /** A token kept for its request. */
    private record Held(Request request, AccessTokenMinter.Minted minted) {

        /** Whether at least {@code minRemaining} of its lifetime, and at least a second, is left at {@code now}. */
        boolean reissuableAt(Instant now, double minRemaining) {
            long lifetime = Duration.between(minted.issuedAt(), minted.expiresAt()).getSeconds();
            long remaining = Duration.between(now, minted.expiresAt()).getSeconds();
            return remaining >= 1 && remaining >= Math.ceil(lifetime * minRemaining);
        }
    }
}
