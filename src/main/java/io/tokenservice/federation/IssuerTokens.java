package io.tokenservice.federation;

import io.smallrye.mutiny.Uni;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.jose.JwtRejectedException;
import io.tokenservice.jose.JwtRules;
import io.tokenservice.jose.KeySets;
import io.tokenservice.jose.RemoteJwks;
import io.tokenservice.jose.SeenJwtIds;
import io.tokenservice.jose.UnverifiedJwt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A trusted issuer's token (a Kubernetes service-account token, a SPIFFE JWT-SVID), checked as that issuer says,
 * whoever presents it (a federated client authenticating, a subject or actor token of a token exchange): a key of
 * the issuer (inline, at its jwks_uri, or at the one its discovery document names) verifies the signature; the
 * claims name one of the issuer's audiences, are unexpired, carry an iat within its maximum token age and, unless
 * the issuer allows reuse, a jti that {@link #firstUse} remembers on every replica. Fails with
 * {@link JwtRejectedException}.
 */
@ApplicationScoped
public class IssuerTokens {

    private static final Logger LOG = Logger.getLogger(IssuerTokens.class);

    private final RemoteJwks remote;
    private final KeySets keys;
    private final SeenJwtIds seen;
    private final Duration skew;
    private final Clock clock;

    @Inject
    IssuerTokens(RemoteJwks remote, KeySets keys, SeenJwtIds seen, TokenServiceConfig config) {
        this(remote, keys, seen, config.token().clockSkew(), Clock.systemUTC());
    }

    IssuerTokens(RemoteJwks remote, KeySets keys, SeenJwtIds seen, Duration skew, Clock clock) {
        this.remote = remote;
        this.keys = keys;
        this.seen = seen;
        this.skew = skew;
        this.clock = clock;
    }

    /**
     * Verified: the issuer's key signed it and its claims keep the issuer's rules. With {@code cachedOnly}, nothing
     * is fetched: only keys inline or fetched within cache-for are used.
     */
    public Uni<Void> verified(UnverifiedJwt token, IssuerPolicy issuer, boolean cachedOnly) {
        return signatureVerified(issuer, token, cachedOnly).invoke(() -> {
            Optional<String> problem = JwtRules.issuerTokenProblem(token, issuer.audiences(), issuer.maxTokenAge(),
                    !issuer.allowReuse(), clock.instant(), skew);
            if (problem.isPresent()) {
                LOG.infof("Token of trusted issuer '%s' for '%s' rejected: %s", issuer.name(), token.subject(), problem.get());
                throw new JwtRejectedException(JwtRejectedException.Reason.RULE_BROKEN);
            }
        });
    }

    /**
     * Whether this is the first use of a verified token, on any replica: always for an issuer that allows reuse;
     * otherwise its jti is remembered while the token could be accepted (to its exp or the end of its allowed age),
     * written within the single-use budget of {@code budgetClient}, the client that presented it.
     */
    public Uni<Boolean> firstUse(String budgetClient, UnverifiedJwt token, IssuerPolicy issuer) {
        if (issuer.allowReuse()) {
            return Uni.createFrom().item(true);
        }
        Instant until = min(token.expiresAt(), token.issuedAt().plus(issuer.maxTokenAge()));
        return seen.firstUse(budgetClient, token.issuer(), token.jwtId(), until);
    }

    private Uni<Void> signatureVerified(IssuerPolicy issuer, UnverifiedJwt token, boolean cachedOnly) {
        if (issuer.jwks().isPresent()) {
            return keys.verifiedInline(token, issuer.jwks().get());
        }
        if (cachedOnly) {
            return keys.verifiedWithoutFetching(token, issuer.jwksUri().or(() -> remote.freshJwksUriOf(issuer.issuer())));
        }
        return issuer.jwksUri().map(value -> Uni.createFrom().item(value))
                .orElseGet(() -> remote.jwksUriOf(issuer.issuer()))
                .flatMap(jwksUri -> keys.verifiedAt(token, jwksUri, KeySets.UnknownKid.WAIT_FOR_REFETCH));
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
