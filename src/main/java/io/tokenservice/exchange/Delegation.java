package io.tokenservice.exchange;

import io.tokenservice.client.ClientSnapshot;
import io.tokenservice.error.OAuthError;
import io.tokenservice.error.OAuthException;
import io.tokenservice.revocation.ExchangedFrom;
import io.tokenservice.token.AccessGrant;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * What a token exchange (RFC 8693) grants a client that acts for a subject, as a pure decision on what was verified:
 * <ul>
 * <li>the subject token must be addressed to the client: one of its aud values is the client's client_id or an
 *     audience the client's metadata names ({@code token_exchange_subject_audiences}); a trusted issuer's token is
 *     allowed by naming its issuer instead (checked when it was verified);</li>
 * <li>a subject token's {@code may_act} (§4.4), an object or refused, must name the actor: the actor token's subject
 *     (and issuer), else the client; a {@code may_act} without iss names a subject of the subject token's issuer;</li>
 * <li>the scope only narrows: what is asked for (all of it when nothing is) must be the subject's and the client's,
 *     else invalid_scope;</li>
 * <li>the targets (audience and resource) must be among the client's own audience, never the admin API's, else
 *     invalid_target; none asked for means the client's audience;</li>
 * <li>the token lives no longer than the client's tokens do, nor than the subject token;</li>
 * <li>{@code sub} is the subject's, {@code client_id} the client's, and {@code act} (§4.1) names the actor and nests
 *     the subject token's own {@code act}, each kept to its sub and iss (another issuer's made explicit, at most
 *     {@link ExchangedFrom#MAX_LINKS} deep): the outermost is the current actor. A subject of another issuer is named
 *     with {@code subject_issuer}; a token exchanged from ours lists the chain it came from ({@link ExchangedFrom}) and
 *     dies with any token or client along it.</li>
 * </ul>
 * Refusals are OAuthExceptions; why goes to the log.
 */
final class Delegation {

    private static final Logger LOG = Logger.getLogger(Delegation.class);

    private Delegation() {
    }

    /**
     * @param ownIssuer our issuer, which an actor of ours is of
     * @param audience the token's audience, as {@link #targets} decided it before any token was verified
     * @param clientLifetime the longest the client's tokens live
     */
    static AccessGrant grant(ClientSnapshot client, Party subject, Optional<Party> actor, ExchangeRequest request,
            String ownIssuer, List<String> audience, Duration clientLifetime, Instant now) {
        if (subject.ours() && !addressedTo(client, subject)) {
            throw refused("the subject_token is not addressed to the client (its client_id or "
                    + "token_exchange_subject_audiences)");
        }
        Map<String, Object> actorClaims = new LinkedHashMap<>();
        actorClaims.put("sub", actor.map(Party::subject).orElse(client.clientId()));
        String actorIssuer = actor.map(Party::issuer).orElse(ownIssuer);
        if (!actorIssuer.equals(ownIssuer)) {
            actorClaims.put("iss", actorIssuer);
        }
        checkMayAct(subject, actorClaims, ownIssuer);
        List<String> scopes = scopes(client, subject, request.scopes());
        Duration lifetime = lifetime(clientLifetime, subject, now);
        priorActors(subject, ownIssuer).ifPresent(prior -> actorClaims.put("act", prior));
        AccessGrant grant = new AccessGrant(client.clientId(), subject.subject(), scopes, audience, lifetime,
                client.version(), client.registration(), client.accessTokenTyp(), Map.of()).withClaim("act", actorClaims);
        return carried(grant, subject);
    }

    /** What a token made for a subject carries of it: whose subject it is when not ours, and the chain it came from. */
    static AccessGrant carried(AccessGrant grant, Party subject) {
        AccessGrant carried = subject.subjectIssuer().map(issuer -> grant.withClaim(Party.SUBJECT_ISSUER, issuer))
                .orElse(grant);
        return subject.lineage().map(chain -> carried.withClaim(ExchangedFrom.CLAIM, chain.claim())).orElse(carried);
    }

    /** Whether one of the subject token's aud values is the client's client_id or one its metadata lets it exchange. */
    static boolean addressedTo(ClientSnapshot client, Party subject) {
        return subject.audience().stream().anyMatch(aud -> aud.equals(client.clientId())
                || client.exchange().subjectAudiences().contains(aud));
    }

    /**
     * §4.4: when the subject token says who may act for it, the actor ({@code sub}, and {@code iss} when not ours) must
     * be that party: its sub, and its iss, which when not given is the subject token's own issuer's.
     */
    static void checkMayAct(Party subject, Map<String, Object> actor, String ownIssuer) {
        Object claim = subject.claims().get("may_act");
        if (claim == null) {
            return;
        }
        if (!(claim instanceof Map<?, ?> mayAct) || !(mayAct.get("sub") instanceof String sub)
                || (mayAct.get("iss") != null && !(mayAct.get("iss") instanceof String))) {
            throw refused("the subject_token's may_act is not an object naming a sub");
        }
        Object issuer = mayAct.get("iss") == null ? subject.issuer() : mayAct.get("iss");
        if (!sub.equals(actor.get("sub")) || !issuer.equals(actor.getOrDefault("iss", ownIssuer))) {
            throw refused("the subject_token's may_act does not name the actor");
        }
    }

    /**
     * The subject token's own {@code act}, each actor kept to its {@code sub} and {@code iss}: one without iss is of
     * the token's issuer, which is written out when it is not ours; another issuer may not name an actor of ours.
     */
    private static Optional<Map<String, Object>> priorActors(Party subject, String ownIssuer) {
        Object act = subject.claims().get("act");
        return act == null ? Optional.empty() : Optional.of(actor(act, subject.issuer(), ownIssuer, 1));
    }

    private static Map<String, Object> actor(Object value, String tokenIssuer, String ownIssuer, int depth) {
        if (depth > ExchangedFrom.MAX_LINKS || !(value instanceof Map<?, ?> act) || !(act.get("sub") instanceof String sub)
                || (act.get("iss") != null && !(act.get("iss") instanceof String))) {
            throw refused("the subject_token's act is not a chain of actors naming a sub, at most "
                    + ExchangedFrom.MAX_LINKS + " deep");
        }
        String issuer = act.get("iss") == null ? tokenIssuer : (String) act.get("iss");
        if (issuer.equals(ownIssuer) && !tokenIssuer.equals(ownIssuer)) {
            throw refused("another issuer's subject_token names an actor of ours");
        }
        Map<String, Object> kept = new LinkedHashMap<>();
        kept.put("sub", sub);
        if (!issuer.equals(ownIssuer)) {
            kept.put("iss", issuer);
        }
        if (act.get("act") != null) {
            kept.put("act", actor(act.get("act"), tokenIssuer, ownIssuer, depth + 1));
        }
        return kept;
    }

    /** The scope only narrows: at most what the subject and the client both have. */
    static List<String> scopes(ClientSnapshot client, Party subject, Optional<List<String>> requested) {
        List<String> allowed = subject.scopes().orElse(List.of()).stream().filter(client.scopes()::contains).toList();
        List<String> scopes = requested.orElse(allowed);
        if (!allowed.containsAll(scopes)) {
            throw new OAuthException(OAuthError.INVALID_SCOPE, "The requested scope is wider than the subject's and the client's");
        }
        return scopes;
    }

    /** RFC 8693 §2.1.1, §2.2.2: each target among the client's audience, else invalid_target; none: all of it. */
    static List<String> targets(List<String> clientAudience, List<String> requested) {
        if (!Set.copyOf(clientAudience).containsAll(requested) || clientAudience.isEmpty()) {
            throw new OAuthException(OAuthError.INVALID_TARGET, "A requested audience or resource is not allowed for this client");
        }
        return requested.isEmpty() ? clientAudience : requested;
    }

    /** No longer than the client's tokens, nor than the subject token it was exchanged for. */
    static Duration lifetime(Duration clientLifetime, Party subject, Instant now) {
        Duration left = Duration.ofSeconds(subject.expiresAt().getEpochSecond() - now.getEpochSecond());
        if (left.isNegative() || left.isZero()) {
            throw refused("the subject_token has expired");
        }
        return left.compareTo(clientLifetime) < 0 ? left : clientLifetime;
    }

    private static OAuthException refused(String why) {
        LOG.infof("Token exchange refused: %s", why);
        return new OAuthException(OAuthError.INVALID_REQUEST, "The subject_token or actor_token is not acceptable");
    }
}
