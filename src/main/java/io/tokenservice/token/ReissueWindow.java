package io.tokenservice.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.smallrye.mutiny.Uni;
import io.tokenservice.client.ClientSnapshot;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.database.ChangeListener;
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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The one owner of whether a request gets a token signed anew or the token this replica already issued for the same
 * request. A client that asks again with the same request (the same grant decided on the same version and
 * registration of it: subject, scopes as a set, audience as a set, lifetime, typ, and the same further claims, so no
 * binding or the same binding) while that token has at least its {@code reissue_min_remaining}, else
 * {@code token-service.reissue.min-remaining}, of its lifetime left gets it back, {@code expires_in} its remaining whole seconds: no signature, the one cost a repeat
 * request would otherwise pay in full. The client already holds that token, so handing it out again gives nobody
 * anything they did not have.
 *
 * <p>Never a token our own checks would refuse: not after its revocation, here or announced from another replica
 * ({@link TokenRevocations}; only while announcements come in, {@link ChangeListener#listening}, and all
 * revocations fit in memory: else a token is signed, the database never asked), nor after any change of its client
 * (every change, a cut-off included, gives the client a new version, so a new grant), nor once its key no longer
 * signs (rotation, retirement, or keys gone stale here: then signing fails as it would). Never an admin token, and
 * never for a client registered with {@code "reissue": false} or with {@code token-service.reissue.enabled} off.
 * Every holder of the token shares it: instances that share a client and revoke their token when they stop should
 * opt out, or one's revocation ends the others' token (they get a new one when they ask again).
 *
 * <p>Bounded: at most {@code token-service.reissue.max-entries} tokens per replica and
 * {@code token-service.reissue.max-entries-per-client} per client (its most recent distinct requests); a token past
 * its reissue window is dropped when its client's next token is kept, and a client's all once the last is past it.
 */
@ApplicationScoped
public class ReissueWindow {

    private final AccessTokenMinter minter;
    private final SigningKeys keys;
    private final TokenRevocations revocations;
    private final BooleanSupplier announcementsArrive;
    private final AdminAuthority admin;
    private final IssuedTokens counted;
    private final Clock clock;
    private final boolean enabled;
    private final double minRemaining;
    private final int perClient;
    private final Cache<String, List<Held>> byClient;

    @Inject
    ReissueWindow(AccessTokenMinter minter, SigningKeys keys, TokenRevocations revocations, ChangeListener changes,
            AdminAuthority admin, IssuedTokens counted, TokenServiceConfig config) {
        this(minter, keys, revocations, changes::listening, admin, counted, Clock.systemUTC(), config.reissue());
    }

    ReissueWindow(AccessTokenMinter minter, SigningKeys keys, TokenRevocations revocations,
            BooleanSupplier announcementsArrive, AdminAuthority admin, IssuedTokens counted, Clock clock,
            TokenServiceConfig.Reissue config) {
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
        this.announcementsArrive = announcementsArrive;
        this.admin = admin;
        this.counted = counted;
        this.clock = clock;
        this.enabled = config.enabled();
        this.minRemaining = config.minRemaining();
        this.perClient = config.maxEntriesPerClient();
        // Evicting on the caller's thread keeps the bound exact; the work is a few map operations. A client's tokens
        // leave once the last of them is past its window, though it never asks again (a deleted client).
        this.byClient = Caffeine.newBuilder().maximumWeight(config.maxEntries())
                .weigher((String clientId, List<Held> held) -> held.size())
                .expireAfter(new Expiry<String, List<Held>>() {
                    @Override
                    public long expireAfterCreate(String clientId, List<Held> held, long currentTime) {
                        Instant until = held.stream().map(Held::reissuableUntil)
                                .max(Instant::compareTo).orElse(Instant.EPOCH);
                        return Math.max(0, Duration.between(clock.instant(), until).toNanos());
                    }

                    @Override
                    public long expireAfterUpdate(String clientId, List<Held> held, long currentTime, long currentDuration) {
                        return expireAfterCreate(clientId, held, currentTime);
                    }

                    @Override
                    public long expireAfterRead(String clientId, List<Held> held, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(Runnable::run).build();
    }

    /**
     * The token for {@code grant}: the one already issued for the same request when it may be handed out again, else
     * one signed now. Fails as {@link AccessTokenMinter#mint} does.
     */
    public Uni<AccessToken> issue(ClientSnapshot client, AccessGrant grant) {
        if (!enabled || !client.reissue().enabled() || admin.isAdminAudience(grant.audience())) {
            return minter.mint(grant);
        }
        Request request = Request.of(grant);
        double share = client.reissue().minRemaining().orElse(minRemaining);
        return Uni.createFrom().item(() -> {
            Instant now = clock.instant();
            return reissuable(client.clientId(), request, now).map(held -> reissued(client.clientId(), held, now));
        }).flatMap(reissued -> reissued.isPresent() ? Uni.createFrom().item(reissued.get())
                : minter.minted(grant).map(minted -> hold(client.clientId(), request, minted, share)));
    }

    /** How many tokens this replica keeps for reissue. */
    long held() {
        byClient.cleanUp();
        return byClient.asMap().values().stream().mapToLong(List::size).sum();
    }

    /**
     * The token held for this request when it may be handed out again at {@code now}: signed by the key that signs
     * now, with enough of its life left, and known from memory not to be revoked, while revocations made on other
     * replicas reach this one at once (announcements are coming in; none overflowed memory). Otherwise a new token
     * is cheaper than finding out.
     *
     * @throws io.tokenservice.key.NoSigningKeyException while no key may sign (keys gone stale): nor may it reissue
     */
    private Optional<Held> reissuable(String clientId, Request request, Instant now) {
        String signingKid = keys.active().kid();
        List<Held> held = byClient.getIfPresent(clientId);
        if (held == null || !announcementsArrive.getAsBoolean()) {
            return Optional.empty();
        }
        return held.stream()
                .filter(entry -> entry.request().equals(request) && entry.minted().kid().equals(signingKid)
                        && entry.reissuableAt(now)
                        && revocations.revokedAtHand(entry.minted().jwtId()).equals(Optional.of(false)))
                .findFirst();
    }

    private AccessToken reissued(String clientId, Held held, Instant now) {
        counted.countReissued(clientId);
        AccessToken token = held.minted().token();
        // Whole seconds rounded down: never longer than the token has; at least one (reissuableAt).
        long remaining = Duration.between(now, held.minted().expiresAt()).getSeconds();
        return new AccessToken(token.jwt(), remaining, token.scopes());
    }

    private AccessToken hold(String clientId, Request request, AccessTokenMinter.Minted minted, double share) {
        Instant now = clock.instant();
        byClient.asMap().compute(clientId, (id, held) -> {
            List<Held> kept = new ArrayList<>(perClient);
            kept.add(new Held(request, minted, share));
            if (held != null) {
                for (Held entry : held) {
                    if (kept.size() < perClient && !entry.request().equals(request) && entry.reissuableAt(now)) {
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

    /**
     * A token kept for its request.
     *
     * @param minRemaining the share of its lifetime it must still have to be handed out again: its client's, or the
     *     service's (a change of the client's is a new client version, so a new request)
     */
    private record Held(Request request, AccessTokenMinter.Minted minted, double minRemaining) {

        /** Whether at least {@code minRemaining} of its lifetime, and at least a second, is left at {@code now}. */
        boolean reissuableAt(Instant now) {
            return Duration.between(now, minted.expiresAt()).getSeconds() >= leftAtLeast();
        }

        /** The last instant {@link #reissuableAt} holds (to within a second): no use keeping it longer. */
        Instant reissuableUntil() {
            return minted.expiresAt().minusSeconds(leftAtLeast());
        }

        private long leftAtLeast() {
            long lifetime = Duration.between(minted.issuedAt(), minted.expiresAt()).getSeconds();
            return Math.max(1, (long) Math.ceil(lifetime * minRemaining));
        }
    }
}
