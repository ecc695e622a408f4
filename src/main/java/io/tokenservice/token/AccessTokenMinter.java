package io.tokenservice.token;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.key.SigningKey;
import io.tokenservice.key.SigningKeys;
import io.tokenservice.key.SigningLane;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Mints the JWT access token of RFC 9068 with the SmallRye JWT builder: header {@code typ: at+jwt} (or {@code JWT}
 * for a client whose APIs insist on it, or the grant's own), {@code kid}
 * and {@code alg} of the active signing key; claims {@code iss}, {@code sub} (the client, or the subject it acts
 * for) and {@code client_id} (the client), the grant's own further claims,
 * {@code aud}, {@code iat}, {@code exp}, a random {@code jti}, {@code scope} when any was granted, and
 * {@code client_version} and {@code client_registration}, the version and the registration of the client it was
 * minted from (see {@code revocation.ActiveTokens}). Its {@code iat} is never ahead of the clock; its lifetime is
 * the grant's, less up to {@code token-service.token.expiry-jitter-percent} of it at random (0 by default).
 */
@ApplicationScoped
public class AccessTokenMinter {

    /** The version of the client a token was minted from: a cut-off retires the tokens of older versions. */
    static final String CLIENT_VERSION = "client_version";
    /** The registration of the client a token was minted for: an earlier client under the same id is another one. */
    static final String CLIENT_REGISTRATION = "client_registration";

    private final String issuer;
    private final SigningKeys keys;
    private final Clock clock;
    private final IssuedTokens issued;
    private final int jitterPercent;
    private final SigningLane lane;

    @Inject
    AccessTokenMinter(TokenServiceConfig config, SigningKeys keys, IssuedTokens issued, SigningLane lane) {
        this(config.issuer(), keys, Clock.systemUTC(), issued, config.token().expiryJitterPercent(), lane);
    }

    /** Signing in place, counted nowhere: for tests and benchmarks. */
    AccessTokenMinter(String issuer, SigningKeys keys, Clock clock) {
        this(issuer, keys, clock, new IssuedTokens(new SimpleMeterRegistry(), 0), 0, new SigningLane(0, 1));
    }

    AccessTokenMinter(String issuer, SigningKeys keys, Clock clock, IssuedTokens issued, int jitterPercent,
            SigningLane lane) {
        if (jitterPercent < 0 || jitterPercent > 50) {
            throw new IllegalArgumentException("token-service.token.expiry-jitter-percent must be between 0 and 50");
        }
        this.issuer = issuer;
        this.keys = keys;
        this.clock = clock;
        this.issued = issued;
        this.jitterPercent = jitterPercent;
        this.lane = lane;
    }

    /**
     * A token signed for {@code grant} on the {@link SigningLane}, delivered on the caller's context. Fails with
     * {@link io.tokenservice.key.NoSigningKeyException} while no key may sign, and with
     * {@link io.tokenservice.key.SigningSaturatedException} when too many signatures wait.
     */
    public Uni<AccessToken> mint(AccessGrant grant) {
        return lane.sign(() -> signed(grant).token());
    }

    /** As {@link #mint}, with what {@link ReissueWindow} keeps of the token. */
    Uni<Minted> minted(AccessGrant grant) {
        return lane.sign(() -> signed(grant));
    }

    /**
     * A token signed for {@code grant} here and now, with what {@link ReissueWindow} keeps of it.
     *
     * @throws io.tokenservice.key.NoSigningKeyException while no key may sign
     */
    @WithSpan("token.mint")
    Minted signed(AccessGrant grant) {
        SigningKey key = keys.active();
        // JWT NumericDate is whole seconds (RFC 7519 §2), rounded down: never ahead of the clock, so a verifier with
        // no leeway accepts the token at once; exp - iat is exactly expires_in.
        Instant issuedAt = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        long lifetime = jittered(grant.lifetime().toSeconds());
        String jwtId = UUID.randomUUID().toString();
        JwtClaimsBuilder claims = Jwt.claims()
                .issuer(issuer)
                .subject(grant.subject())
                .claim("client_id", grant.clientId())
                .audience(new LinkedHashSet<>(grant.audience()))
                .issuedAt(issuedAt)
                .expiresAt(issuedAt.plusSeconds(lifetime))
                .claim("jti", jwtId)
                .claim(CLIENT_VERSION, grant.clientVersion())
                .claim(CLIENT_REGISTRATION, grant.clientRegistration());
        if (!grant.scopes().isEmpty()) {
            // scope, RFC 9068 §2.2.3: space-delimited as in RFC 6749 §3.3.
            claims.claim("scope", String.join(" ", grant.scopes()));
        }
        // What the grant (or a binding) adds: AccessGrant keeps it to claims not set above.
        grant.claims().forEach(claims::claim);
        String jwt = claims.jws()
                .algorithm(key.algorithm().jws())
                .keyId(key.kid())
                .type(grant.typ())
                .sign(key.privateKey());
        issued.count(key.algorithm().jws().getAlgorithm(), grant.clientId());
        return new Minted(new AccessToken(jwt, lifetime, grant.scopes()), jwtId, key.kid(), issuedAt,
                issuedAt.plusSeconds(lifetime));
    }

    /** The lifetime less up to {@code jitterPercent} of it, at random; never below one second. */
    private long jittered(long lifetime) {
        long spread = lifetime * jitterPercent / 100;
        return spread == 0 ? lifetime : Math.max(1, lifetime - ThreadLocalRandom.current().nextLong(spread + 1));
    }

    /**
     * A signed token and what is known of it without reading it back.
     *
     * @param jwtId its {@code jti}
     * @param kid the key that signed it
     */
    record Minted(AccessToken token, String jwtId, String kid, Instant issuedAt, Instant expiresAt) {
    }
}
