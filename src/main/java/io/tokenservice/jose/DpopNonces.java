package io.tokenservice.jose;

import io.tokenservice.config.TokenServiceConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Server-provided DPoP nonces (RFC 9449 §8), when {@code token-service.dpop.nonce-required} is on: a nonce is the
 * second it was issued and an HMAC-SHA256 of it under a secret every replica shares (drawn once, kept in the
 * database), so a nonce one replica issued holds on every other, with no state per nonce. It is accepted for
 * {@code token-service.dpop.nonce-lifetime} after it was issued, and never when it claims a later second than now
 * (past the clock skew). Replay is the proof's {@code jti}'s business, not the nonce's.
 */
@ApplicationScoped
public class DpopNonces {

    private static final String SECRET_NAME = "dpop-nonce";
    private static final int MAC_BYTES = 16;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final Pool pool;
    private final boolean required;
    private final Duration lifetime;
    private final Duration skew;
    private final Duration databaseTimeout;
    private final Clock clock;
    private volatile SecretKeySpec secret;

    @Inject
    DpopNonces(Pool pool, TokenServiceConfig config) {
        this(pool, config.dpop().nonceRequired(), config.dpop().nonceLifetime(), config.token().clockSkew(),
                config.database().timeout(), Clock.systemUTC());
    }

    DpopNonces(Pool pool, boolean required, Duration lifetime, Duration skew, Duration databaseTimeout, Clock clock) {
        this.pool = pool;
        this.required = required;
        this.lifetime = lifetime;
        this.skew = skew;
        this.databaseTimeout = databaseTimeout;
        this.clock = clock;
    }

    /**
     * The shared secret, drawn by the first replica to start and read by the others; only when nonces are required.
     * One of the start-up reads of a serving replica.
     */
    public void start() {
        if (!required) {
            return;
        }
        byte[] drawn = new byte[32];
        new SecureRandom().nextBytes(drawn);
        // Two statements: a replica starting beside the one that draws waits for its insert, then reads its row (one
        // statement would read from a snapshot taken before the other committed).
        Row row = pool.preparedQuery("INSERT INTO token_service.shared_secret (name, value) VALUES ($1, $2) "
                        + "ON CONFLICT (name) DO NOTHING")
                .execute(Tuple.of(SECRET_NAME, io.vertx.core.buffer.Buffer.buffer(drawn)))
                .flatMap(inserted -> pool.preparedQuery("SELECT value FROM token_service.shared_secret WHERE name = $1")
                        .execute(Tuple.of(SECRET_NAME)))
                .await().atMost(databaseTimeout).iterator().next();
        use(row.getBuffer("value").getBytes());
    }

    void use(byte[] key) {
        this.secret = new SecretKeySpec(key, "HmacSHA256");
    }

    /** Whether every proof must carry a nonce of ours. */
    public boolean required() {
        return required;
    }

    /** A nonce to hand the client ({@code DPoP-Nonce}), when nonces are required. */
    public Optional<String> fresh() {
        if (!required) {
            return Optional.empty();
        }
        long second = clock.instant().getEpochSecond();
        ByteBuffer nonce = ByteBuffer.allocate(Long.BYTES + MAC_BYTES).putLong(second).put(mac(second));
        return Optional.of(ENCODER.encodeToString(nonce.array()));
    }

    /** Whether {@code nonce} is one of ours, issued no longer than the nonce lifetime ago. */
    public boolean valid(String nonce) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (bytes.length != Long.BYTES + MAC_BYTES) {
            return false;
        }
        ByteBuffer read = ByteBuffer.wrap(bytes);
        long second = read.getLong();
        byte[] presented = Arrays.copyOfRange(bytes, Long.BYTES, bytes.length);
        if (!MessageDigest.isEqual(presented, mac(second))) {
            return false;
        }
        long now = clock.instant().getEpochSecond();
        return second <= now + skew.toSeconds() && now - second <= lifetime.toSeconds();
    }

    private byte[] mac(long second) {
        SecretKeySpec key = secret;
        if (key == null) {
            throw new IllegalStateException("DPoP nonces are required but their secret was not loaded");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Arrays.copyOf(mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(second).array()), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
