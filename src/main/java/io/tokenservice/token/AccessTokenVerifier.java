package io.tokenservice.token;

import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.key.ScheduledKey;
import io.tokenservice.key.SigningAlgorithm;
import io.tokenservice.key.SigningKey;
import io.tokenservice.key.SigningKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Verifies access tokens this service issued, for introspection, revocation and the resources it protects itself
 * (the admin API), and, apart, its transaction tokens: the signature by one of our published keys (found by
 * {@code kid} and {@code alg}), {@code typ at+jwt} (RFC 9068 §4) or {@code txntoken+jwt}, our {@code iss}, and
 * {@code exp} within {@code token-service.token.clock-skew};
 * whether it was revoked since is {@code RevokedTokens}' business. Why a token failed goes to the debug log only.
 */
@ApplicationScoped
public class AccessTokenVerifier {

    private static final Logger LOG = Logger.getLogger(AccessTokenVerifier.class);

    private static final java.util.Set<String> ACCEPTED_TYPS = java.util.Set.of("at+jwt", "application/at+jwt", "JWT");

    /** draft-ietf-oauth-transaction-tokens §9.1: the typ of a transaction token. */
    public static final String TXN_TOKEN_TYP = "txntoken+jwt";

    private final JwtConsumer accessTokens;
    private final Optional<JwtConsumer> transactionTokens;

    AccessTokenVerifier(TokenServiceConfig config, SigningKeys keys, TrustDomain trustDomain) {
        this.accessTokens = consumer(config, keys, ACCEPTED_TYPS, null);
        this.transactionTokens = trustDomain.id().map(domain -> consumer(config, keys, java.util.Set.of(TXN_TOKEN_TYP),
                domain));
    }

    /**
     * Our tokens of these typs: signed by one of our keys (found by kid and alg), our iss, unexpired (within the
     * clock skew); with {@code audience}, naming it (a transaction token's trust domain), else any audience (an
     * access token's audience is its client's business).
     */
    private static JwtConsumer consumer(TokenServiceConfig config, SigningKeys keys, java.util.Set<String> typs,
            String audience) {
        JwtConsumerBuilder builder = new JwtConsumerBuilder()
                // RFC 9068 §4: at+jwt (application/at+jwt spelled in full), or JWT for clients registered for it.
                .registerValidator((org.jose4j.jwt.consumer.ErrorCodeValidator) context -> {
                    String typ = context.getJoseObjects().get(0).getHeader("typ");
                    return typs.contains(typ) ? null
                            : new org.jose4j.jwt.consumer.ErrorCodeValidator.Error(
                                    org.jose4j.jwt.consumer.ErrorCodes.TYPE_INVALID, "typ " + typ + " is not " + typs);
                })
                .setExpectedIssuer(config.issuer())
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireSubject()
                .setRequireJwtId()
                .setAllowedClockSkewInSeconds((int) config.token().clockSkew().toSeconds())
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        Arrays.stream(SigningAlgorithm.values()).map(Enum::name).toArray(String[]::new))
                .setVerificationKeyResolver((jws, nesting) -> keys.verifying().stream()
                        .map(ScheduledKey::key)
                        .filter(key -> key.kid().equals(jws.getKeyIdHeaderValue()))
                        .filter(key -> key.algorithm().name().equals(jws.getAlgorithmHeaderValue()))
                        .map(SigningKey::publicKey)
                        .findFirst()
                        .orElseThrow(() -> new UnresolvableKeyException("no published key for this kid and alg")));
        return (audience == null ? builder.setSkipDefaultAudienceValidation() : builder.setExpectedAudience(audience))
                .build();
    }

    /** The access token when it is ours and unexpired, revoked or not; empty otherwise (a transaction token too). */
    public Optional<VerifiedToken> read(String token) {
        return read(accessTokens, token);
    }

    /**
     * The transaction token when it is ours, for our trust domain, and unexpired; empty otherwise (an access token
     * too: neither is ever taken for the other), and always when there is no trust domain.
     */
    public Optional<VerifiedToken> readTransactionToken(String token) {
        return transactionTokens.flatMap(consumer -> read(consumer, token));
    }

    private static Optional<VerifiedToken> read(JwtConsumer consumer, String token) {
        try {
            JwtClaims claims = consumer.processToClaims(token);
            String scope = claims.getClaimValue("scope") instanceof String value ? value : "";
            List<String> scopes = Arrays.stream(scope.split(" ")).filter(s -> !s.isEmpty()).toList();
            String clientId = claims.getClaimValue("client_id") instanceof String value ? value : claims.getSubject();
            return Optional.of(new VerifiedToken(claims.getSubject(), clientId, scopes,
                    claims.hasAudience() ? claims.getAudience() : List.of(),
                    claims.getJwtId(), Instant.ofEpochSecond(claims.getIssuedAt().getValue()),
                    Instant.ofEpochSecond(claims.getExpirationTime().getValue()),
                    claims.getClaimValue(AccessTokenMinter.CLIENT_VERSION) instanceof Number version ? version.longValue() : 0,
                    claims.getClaimValue(AccessTokenMinter.CLIENT_REGISTRATION) instanceof Number registration
                            ? OptionalLong.of(registration.longValue()) : OptionalLong.empty(),
                    claims.getClaimsMap()));
        } catch (InvalidJwtException | MalformedClaimException e) {
            LOG.debugf("not an active token of ours: %s", e.getMessage());
            return Optional.empty();
        }
    }
}
