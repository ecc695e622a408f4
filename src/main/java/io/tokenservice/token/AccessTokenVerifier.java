package io.tokenservice.token;

import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.error.OAuthError;
import io.tokenservice.error.OAuthException;
import io.tokenservice.key.SigningKey;
import io.tokenservice.key.SigningKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Verifies access tokens this service issued, for resources it protects itself (the admin API): the signature
 * by one of our published keys (found by {@code kid}), {@code typ at+jwt} (RFC 9068 §4), our {@code iss}, and
 * {@code exp} with 30 s of clock skew. Throws a 401 invalid_token {@link OAuthException} otherwise; why goes to
 * the debug log.
 */
@ApplicationScoped
public class AccessTokenVerifier {

    private static final Logger LOG = Logger.getLogger(AccessTokenVerifier.class);

    private final JwtConsumer consumer;

    AccessTokenVerifier(TokenServiceConfig config, SigningKeys keys) {
        this.consumer = new JwtConsumerBuilder()
                .setExpectedType(true, "at+jwt")
                .setExpectedIssuer(config.issuer())
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds(30)
                // The audience is the client's business; this service is not in it.
                .setSkipDefaultAudienceValidation()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        Arrays.stream(io.tokenservice.key.SigningAlgorithm.values()).map(Enum::name).toArray(String[]::new))
                .setVerificationKeyResolver((jws, nesting) -> keys.published().stream()
                        .filter(key -> key.kid().equals(jws.getKeyIdHeaderValue()))
                        .filter(key -> key.algorithm().name().equals(jws.getAlgorithmHeaderValue()))
                        .map(SigningKey::publicKey)
                        .findFirst()
                        .orElseThrow(() -> new UnresolvableKeyException("no published key for this kid and alg")))
                .build();
    }

    public VerifiedToken verify(String token) {
        try {
            JwtClaims claims = consumer.processToClaims(token);
            String scope = claims.getClaimValue("scope") instanceof String value ? value : "";
            List<String> scopes = Arrays.stream(scope.split(" ")).filter(s -> !s.isEmpty()).toList();
            return new VerifiedToken(claims.getSubject(), scopes, claims.getJwtId(),
                    Instant.ofEpochSecond(claims.getExpirationTime().getValue()));
        } catch (InvalidJwtException | MalformedClaimException e) {
            LOG.debugf("invalid_token: %s", e.getMessage());
            throw new OAuthException(OAuthError.INVALID_TOKEN, "The access token is invalid or expired");
        }
    }
}
