package io.tokenservice.exchange;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.tokenservice.binding.Confirmation;
import io.tokenservice.client.ClientSnapshot;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.endpoint.FormBody;
import io.tokenservice.error.OAuthException;
import io.tokenservice.token.AccessGrant;
import io.tokenservice.token.AccessToken;
import io.tokenservice.token.AccessTokenMinter;
import io.tokenservice.token.ClientTokenLimits;
import io.tokenservice.token.Grant;
import io.tokenservice.token.GrantParameters;
import io.tokenservice.token.TrustDomain;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

/**
 * {@code grant_type=urn:ietf:params:oauth:grant-type:token-exchange} (RFC 8693): a client registered for it, however
 * it authenticates, presents a subject token (and perhaps an actor token) and gets a token to call the next service
 * as that subject ({@link Delegation}), or, asking for {@code requested_token_type} txn_token, a transaction token
 * for its trust domain ({@link TransactionTokenPolicy}). The response says {@code issued_token_type}; a transaction
 * token is no access token ({@code token_type N_A}).
 */
@ApplicationScoped
public class TokenExchangeGrant implements Grant<ExchangeRequest> {

    private static final Set<String> SUBJECT_TYPES = Set.of(TokenTypes.ACCESS_TOKEN, TokenTypes.JWT, TokenTypes.TXN_TOKEN);
    private static final Set<String> ACTOR_TYPES = Set.of(TokenTypes.ACCESS_TOKEN, TokenTypes.JWT);
    private static final Set<String> REQUESTED_TYPES = Set.of(TokenTypes.ACCESS_TOKEN, TokenTypes.JWT, TokenTypes.TXN_TOKEN);
    private static final String AUDIENCE = "audience";
    static final int MAX_CONTEXT_LENGTH = 4096;
    static final int MAX_CONTEXT_DEPTH = 8;

    private final PresentedTokens presented;
    private final ClientTokenLimits limits;
    private final AccessTokenMinter minter;
    private final String issuer;
    private final Optional<String> trustDomain;
    private final Duration transactionTokenTtl;
    private final Clock clock;

    @Inject
    TokenExchangeGrant(PresentedTokens presented, ClientTokenLimits limits, AccessTokenMinter minter,
            TokenServiceConfig config, TrustDomain trustDomain) {
        this(presented, limits, minter, config.issuer(), trustDomain.id(), config.transactionTokens().ttl(),
                Clock.systemUTC());
    }

    TokenExchangeGrant(PresentedTokens presented, ClientTokenLimits limits, AccessTokenMinter minter, String issuer,
            Optional<String> trustDomain, Duration transactionTokenTtl, Clock clock) {
        this.presented = presented;
        this.limits = limits;
        this.minter = minter;
        this.issuer = issuer;
        this.trustDomain = trustDomain;
        this.transactionTokenTtl = transactionTokenTtl;
        this.clock = clock;
    }

    @Override
    public String type() {
        return TokenTypes.GRANT;
    }

    @Override
    public Set<String> parameters() {
        return Set.of("subject_token", "subject_token_type", "actor_token", "actor_token_type", "requested_token_type",
                GrantParameters.SCOPE, GrantParameters.RESOURCE, AUDIENCE, "request_context", "request_details");
    }

    @Override
    public Set<String> repeatableParameters() {
        // RFC 8693 §2.1: "Multiple 'resource' parameters may be used", "Multiple 'audience' parameters may be used".
        return Set.of(GrantParameters.RESOURCE, AUDIENCE);
    }

    /** RFC 8693 §2.1; every problem is invalid_request (§2.2.2), a malformed scope invalid_scope. */
    @Override
    public ExchangeRequest parse(FormBody form) {
        String subjectToken = form.require("subject_token");
        String subjectType = form.require("subject_token_type");
        if (!SUBJECT_TYPES.contains(subjectType)) {
            throw OAuthException.invalidRequest("subject_token_type must be one of " + SUBJECT_TYPES);
        }
        Optional<String> actorToken = form.get("actor_token");
        Optional<String> actorType = form.get("actor_token_type");
        // §2.1: actor_token_type is REQUIRED with actor_token "but MUST NOT be included otherwise".
        if (actorToken.isPresent() != actorType.isPresent()) {
            throw OAuthException.invalidRequest("actor_token and actor_token_type go together");
        }
        if (actorType.isPresent() && !ACTOR_TYPES.contains(actorType.get())) {
            throw OAuthException.invalidRequest("actor_token_type must be one of " + ACTOR_TYPES);
        }
        String requested = form.get("requested_token_type").orElse(TokenTypes.ACCESS_TOKEN);
        if (!REQUESTED_TYPES.contains(requested)) {
            throw OAuthException.invalidRequest("requested_token_type must be one of " + REQUESTED_TYPES);
        }
        List<String> audiences = form.all(AUDIENCE).stream().filter(value -> !value.isEmpty()).distinct().toList();
        return new ExchangeRequest(new ExchangeRequest.Presented(subjectToken, subjectType),
                actorToken.map(token -> new ExchangeRequest.Presented(token, actorType.get())), requested,
                GrantParameters.scopes(form), audiences, GrantParameters.resources(form),
                jsonObject(form, "request_context"), jsonObject(form, "request_details"));
    }

    /**
     * A parameter holding a JSON object, form-encoded as it is (draft-ietf-oauth-transaction-tokens §11.1), to be
     * carried in a signed token: at most {@link #MAX_CONTEXT_LENGTH} characters and {@link #MAX_CONTEXT_DEPTH} levels
     * deep, of strings, numbers, booleans, arrays and objects (a null has no place in a claim).
     */
    private static Optional<Map<String, Object>> jsonObject(FormBody form, String name) {
        return form.get(name).map(value -> {
            if (value.length() > MAX_CONTEXT_LENGTH) {
                throw OAuthException.invalidRequest(name + " is longer than " + MAX_CONTEXT_LENGTH + " characters");
            }
            Map<String, Object> object;
            try {
                object = JsonUtil.parseJson(value);
            } catch (JoseException | RuntimeException e) {
                throw OAuthException.invalidRequest(name + " must be a JSON object");
            }
            if (!carriable(object, 1)) {
                throw OAuthException.invalidRequest(name + " must be a JSON object of strings, numbers, booleans, arrays "
                        + "and objects, no null, at most " + MAX_CONTEXT_DEPTH + " levels deep");
            }
            return object;
        });
    }

    static boolean carriable(Object value, int depth) {
        if (value instanceof Map<?, ?> object) {
            return depth <= MAX_CONTEXT_DEPTH && object.values().stream().allMatch(member -> carriable(member, depth + 1));
        }
        if (value instanceof List<?> array) {
            return depth <= MAX_CONTEXT_DEPTH && array.stream().allMatch(element -> carriable(element, depth + 1));
        }
        // A number JSON cannot write back (1e400 parses as infinity) would be signed as null.
        return value instanceof String || value instanceof Boolean
                || (value instanceof Number number && Double.isFinite(number.doubleValue()));
    }

    @Override
    @WithSpan("token.exchange")
    public Uni<AccessToken> issue(ClientSnapshot client, ExchangeRequest request, Confirmation binding) {
        boolean transactionToken = request.requestedTokenType().equals(TokenTypes.TXN_TOKEN);
        boolean replacing = request.subject().type().equals(TokenTypes.TXN_TOKEN);
        if (replacing && !transactionToken) {
            return Uni.createFrom().failure(OAuthException.invalidRequest(
                    "A transaction token is only ever replaced by another (requested_token_type txn_token)"));
        }
        if (transactionToken && request.actor().isPresent()) {
            return Uni.createFrom().failure(OAuthException.invalidRequest("A transaction token request has no actor_token"));
        }
        // What the request asks for is judged before any token is verified (and a single-use one spent).
        List<String> audience;
        try {
            if (transactionToken) {
                TransactionTokenPolicy.admit(client, request, trustDomain);
                audience = List.of(trustDomain.get());
            } else {
                audience = Delegation.targets(clientAudience(client), request.targets());
            }
        } catch (OAuthException refused) {
            return Uni.createFrom().failure(refused);
        }
        Duration clientLifetime = limits.lifetime(client, List.of());
        return presented.subject(client, request.subject()).flatMap(subject -> (request.actor().isEmpty()
                ? Uni.createFrom().item(Optional.<Party>empty())
                : presented.actor(client, request.actor().get()).map(Optional::of)).flatMap(acting -> {
                    AccessGrant grant = transactionToken
                            ? TransactionTokenPolicy.grant(client, subject, replacing, request, audience,
                                    transactionTokenTtl, clientLifetime, issuer, clock.instant())
                            : Delegation.grant(client, subject, acting, request, issuer, audience, clientLifetime,
                                    clock.instant()).boundTo(binding);
                    // A transaction token is never bound: it travels with the request through the workloads.
                    return minter.mint(grant).map(token -> transactionToken
                            ? token.asExchanged(TokenTypes.TXN_TOKEN, "N_A")
                            : token.asExchanged(request.requestedTokenType(), binding.tokenType()));
                }));
    }

    /** The audience the client's tokens may carry, the admin API's left out: no exchange makes an admin token. */
    private List<String> clientAudience(ClientSnapshot client) {
        return limits.effectiveAudience(client.audience()).stream()
                .filter(aud -> !aud.equals(limits.admin().audience())).toList();
    }
}
