package io.tokenservice.jose;

import io.smallrye.mutiny.Uni;
import io.tokenservice.config.TokenServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;

/**
 * Checks a DPoP proof (RFC 9449 §4.3) and answers the JWK SHA-256 thumbprint (RFC 7638) of the key it proves
 * possession of, the {@code jkt} a token is bound to. A proof is one {@code DPoP} header holding a compact JWS of
 * {@code typ dpop+jwt}, signed with an accepted asymmetric algorithm by the public key in its own {@code jwk} header
 * (kept to {@link JwkSetRules}: no private part, sizes bounded); its {@code htm} is the request's method and its
 * {@code htu} one of the request's URLs, query and fragment aside; its {@code iat} is at most
 * {@code token-service.dpop.proof-max-age} old and not ahead of the clock past the skew; with an access token, its
 * {@code ath} is the token's hash (§4.2); with nonces required, its {@code nonce} is ours and current ({@link
 * DpopNonces}); and its {@code jti} was never accepted before on any replica ({@link SeenJwtIds}, written only once
 * all of that held, charged to the client's DPoP budget). Fails with {@link DpopProofRejectedException}; with
 * {@link io.tokenservice.throttle.ThrottledException} past the client's budget.
 */
@ApplicationScoped
public class DpopProofs {

    /** RFC 9449 §4.1: the request header that carries a proof. */
    public static final String HEADER = "DPoP";
    /** RFC 9449 §4.2: the typ of a proof. */
    public static final String TYP = "dpop+jwt";
    /** A proof longer than this is no proof (an RSA 4096 key and signature take under 2 KB). */
    static final int MAX_LENGTH = 8192;
    private static final int MAX_JTI_LENGTH = 256;
    private static final Logger LOG = Logger.getLogger(DpopProofs.class);

    private final SeenJwtIds seen;
    private final DpopNonces nonces;
    private final Duration maxAge;
    private final Duration skew;
    private final int perClientPerMinute;
    private final Clock clock;

    @Inject
    DpopProofs(SeenJwtIds seen, DpopNonces nonces, TokenServiceConfig config) {
        this(seen, nonces, config.dpop().proofMaxAge(), config.token().clockSkew(),
                config.dpop().proofsPerClientPerMinute(), Clock.systemUTC());
    }

    DpopProofs(SeenJwtIds seen, DpopNonces nonces, Duration maxAge, Duration skew, int perClientPerMinute, Clock clock) {
        this.seen = seen;
        this.nonces = nonces;
        this.maxAge = maxAge;
        this.skew = skew;
        this.perClientPerMinute = perClientPerMinute;
        this.clock = clock;
    }

    /**
     * The thumbprint of the key the request's proof was made with.
     *
     * @param headers every {@code DPoP} header of the request
     * @param method the request's method
     * @param urls the URLs the request may have been made to (behind proxies and aliases, more than one)
     * @param accessToken the access token the request presents with the proof, if any
     * @param clientId whose budget the proof's jti is charged to
     */
    public Uni<String> verify(List<String> headers, String method, Set<String> urls, Optional<String> accessToken,
            String clientId) {
        return verify(headers, method, urls, accessToken, Optional.empty(), clientId);
    }

    /**
     * The same, for a token bound to the key {@code expectedThumbprint}: a proof by any other key is refused before
     * its jti is written or charged (a stolen token with the thief's own proofs costs the client nothing).
     */
    public Uni<String> verify(List<String> headers, String method, Set<String> urls, Optional<String> accessToken,
            Optional<String> expectedThumbprint, String clientId) {
        Checked proof;
        try {
            proof = check(headers, method, urls, accessToken);
            if (expectedThumbprint.isPresent() && !MessageDigest.isEqual(
                    expectedThumbprint.get().getBytes(StandardCharsets.US_ASCII),
                    proof.thumbprint().getBytes(StandardCharsets.US_ASCII))) {
                throw rejected("made with another key than the token is bound to");
            }
        } catch (DpopProofRejectedException rejected) {
            LOG.debugf("DPoP proof of '%s' rejected: %s", clientId, rejected.getMessage());
            return Uni.createFrom().failure(rejected);
        }
        // Remembered as long as it could be accepted: to iat + max age (SeenJwtIds adds the skew).
        return seen.firstUse("dpop " + clientId, perClientPerMinute, "dpop " + proof.thumbprint(), proof.jti(),
                proof.issuedAt().plus(maxAge)).map(first -> {
                    if (!first) {
                        LOG.debugf("DPoP proof of '%s' rejected: jti used before", clientId);
                        throw rejected("jti used before");
                    }
                    return proof.thumbprint();
                });
    }

    /** The request's DPoP proof, checked but for its jti's single use. */
    Checked check(List<String> headers, String method, Set<String> urls, Optional<String> accessToken) {
        // RFC 9449 §4.3 items 1 and 2: exactly one header, a well-formed JWT.
        if (headers == null || headers.size() != 1) {
            throw rejected("not exactly one DPoP header");
        }
        String compact = headers.get(0).trim();
        if (compact.isEmpty() || compact.length() > MAX_LENGTH) {
            throw rejected("empty or too long");
        }
        JsonWebSignature jws;
        PublicJsonWebKey key;
        JwtClaims claims;
        try {
            if (!(JsonWebStructure.fromCompactSerialization(compact) instanceof JsonWebSignature read)) {
                throw rejected("not a JWS");
            }
            jws = read;
            // Items 4 and 5: typ dpop+jwt; items 5 and 7: the key is public, of an accepted kind and size.
            if (!TYP.equals(jws.getHeader("typ"))) {
                throw rejected("typ is not " + TYP);
            }
            key = jws.getJwkHeader();
            if (key == null || !JwkSetRules.usable(key)) {
                throw rejected("jwk header missing, private, or of a refused kind or size");
            }
            // Items 5 and 6: an accepted asymmetric algorithm, and the signature verifies with that key.
            if (!Signatures.verifiedBy(jws, key)) {
                throw rejected("signature does not verify with its jwk, or alg refused");
            }
            claims = JwtClaims.parse(jws.getUnverifiedPayload());
        } catch (JoseException | org.jose4j.jwt.consumer.InvalidJwtException | RuntimeException malformed) {
            if (malformed instanceof DpopProofRejectedException rejected) {
                throw rejected;
            }
            throw rejected("malformed");
        }
        Instant now = clock.instant();
        String jti = string(claims, "jti");
        if (jti == null || jti.isEmpty() || jti.length() > MAX_JTI_LENGTH || jti.indexOf('\u0000') >= 0) {
            throw rejected("jti missing or too long");
        }
        // Item 8: htm; item 9: htu, without query and fragment.
        if (!method.equals(string(claims, "htm"))) {
            throw rejected("htm is not " + method);
        }
        String htu = string(claims, "htu");
        String presented = htu == null ? "" : normalized(htu);
        if (presented.isEmpty() || urls.stream().map(DpopProofs::normalized).noneMatch(presented::equals)) {
            throw rejected("htu names another URL");
        }
        // Item 10: a nonce of ours, when we ask for them.
        if (nonces.required()) {
            String nonce = string(claims, "nonce");
            if (nonce == null || !nonces.valid(nonce)) {
                throw new DpopProofRejectedException("nonce missing or stale", true, nonces.fresh());
            }
        }
        // Item 11: iat within the window.
        if (!(claims.getClaimValue("iat") instanceof Number iatValue)) {
            throw rejected("iat missing");
        }
        Instant issuedAt = Instant.ofEpochSecond(Math.max(0, Math.min(iatValue.longValue(), Instant.MAX.getEpochSecond())));
        if (issuedAt.isAfter(now.plus(skew)) || issuedAt.isBefore(now.minus(maxAge))) {
            throw rejected("iat outside the window");
        }
        // Item 12: with an access token, ath is its hash.
        if (accessToken.isPresent() && !hash(accessToken.get()).equals(string(claims, "ath"))) {
            throw rejected("ath is not the access token's hash");
        }
        // RFC 7638: the key's thumbprint, the jkt a token is bound to.
        return new Checked(key.calculateBase64urlEncodedThumbprint("SHA-256"), jti, issuedAt);
    }

    /** A proof, checked but for its jti's single use. */
    record Checked(String thumbprint, String jti, Instant issuedAt) {
    }

    /** RFC 9449 §4.2 ath: base64url of the SHA-256 of the token's ASCII. */
    public static String hash(String accessToken) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A URL as htu compares it (RFC 9449 §4.3, RFC 3986 §6.2.2-3): scheme and host lowercase, default port, path; ""
     * for what is no absolute URL with a host, which matches nothing.
     */
    static String normalized(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "";
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || scheme.equals("https") && port == 443 || scheme.equals("http") && port == 80;
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path;
        } catch (URISyntaxException e) {
            return "";
        }
    }

    private static String string(JwtClaims claims, String name) {
        return claims.getClaimValue(name) instanceof String value ? value : null;
    }

    private DpopProofRejectedException rejected(String why) {
        return new DpopProofRejectedException(why, false, nonces.fresh());
    }
}
