package io.tokenservice.exchange;

import io.smallrye.mutiny.Uni;
import io.tokenservice.client.ClientDirectory;
import io.tokenservice.client.ClientSnapshot;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.error.OAuthError;
import io.tokenservice.error.OAuthException;
import io.tokenservice.federation.IssuerPolicy;
import io.tokenservice.federation.IssuerTokens;
import io.tokenservice.federation.TrustedIssuers;
import io.tokenservice.jose.JwtRejectedException;
import io.tokenservice.jose.UnverifiedJwt;
import io.tokenservice.revocation.ActiveTokens;
import io.tokenservice.revocation.ExchangedFrom;
import io.tokenservice.token.AccessTokenVerifier;
import io.tokenservice.token.VerifiedToken;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Verifies the subject and actor tokens of a token exchange (RFC 8693 §2.1: "MUST perform the appropriate validation
 * procedures for the indicated token type"), for the client that presents them:
 * <ul>
 * <li>an access token must be ours, unexpired and still honoured along its whole chain ({@link ActiveTokens}), and
 *     exchanged fewer than {@link ExchangedFrom#MAX_LINKS} times; as an actor token, one the presenting client got
 *     for itself (its sub the client, no act, of no exchange);</li>
 * <li>a JWT must be a trusted issuer's, checked as that issuer says ({@link IssuerTokens}); as a subject token, of an
 *     issuer the client's metadata names ({@code token_exchange_trusted_issuers}), whose sub is no client_id of ours;
 *     as an actor token, for one of the client's own federated credentials;</li>
 * <li>a transaction token (subject only) must be ours, for our trust domain, unexpired and honoured.</li>
 * </ul>
 * Any failure is invalid_request (§2.2.2: "if either the subject_token or actor_token are invalid for any reason, or
 * are unacceptable based on policy"); why goes to the log. Fails with the stores' exceptions when they cannot serve.
 */
@ApplicationScoped
public class PresentedTokens {

    private static final Logger LOG = Logger.getLogger(PresentedTokens.class);

    private final AccessTokenVerifier verifier;
    private final ClientDirectory directory;
    private final ActiveTokens active;
    private final TrustedIssuers issuers;
    private final IssuerTokens issuerTokens;
    private final String ownIssuer;

    PresentedTokens(AccessTokenVerifier verifier, ClientDirectory directory, ActiveTokens active, TrustedIssuers issuers,
            IssuerTokens issuerTokens, TokenServiceConfig config) {
        this.verifier = verifier;
        this.directory = directory;
        this.active = active;
        this.issuers = issuers;
        this.issuerTokens = issuerTokens;
        this.ownIssuer = config.issuer();
    }

    /** The subject the token names, verified for {@code client}. */
    public Uni<Party> subject(ClientSnapshot client, ExchangeRequest.Presented presented) {
        return switch (presented.type()) {
            case TokenTypes.ACCESS_TOKEN -> ours(verifier.read(presented.token()), "subject_token");
            case TokenTypes.TXN_TOKEN -> ours(verifier.readTransactionToken(presented.token()), "subject_token");
            case TokenTypes.JWT -> trustedIssuers(client, presented.token(), "subject_token", issuer -> {
                if (!client.exchange().trustedIssuers().contains(issuer.name())) {
                    throw refused("subject_token", "its issuer '" + issuer.name() + "' is not one the client may exchange"
                            + " tokens of (token_exchange_trusted_issuers)");
                }
            }, token -> { }).call(party -> directory.find(List.of(party.subject())).invoke(clients -> {
                // Its sub is another issuer's name, carried with subject_issuer; still, never one of our clients'.
                if (!clients.isEmpty()) {
                    throw refused("subject_token", "its sub is the client_id of one of our clients");
                }
            }));
            default -> Uni.createFrom().failure(refused("subject_token", "subject_token_type " + presented.type()
                    + " is not supported"));
        };
    }

    /**
     * The actor the token names, verified to be {@code client} itself: an access token the client got for itself
     * (its sub its client_id, of no exchange), or a token of one of its own federated credentials.
     */
    public Uni<Party> actor(ClientSnapshot client, ExchangeRequest.Presented presented) {
        return switch (presented.type()) {
            case TokenTypes.ACCESS_TOKEN -> ours(verifier.read(presented.token()), "actor_token").invoke(party -> {
                if (!client.clientId().equals(party.claims().get("client_id")) || !client.clientId().equals(party.subject())
                        || party.lineage().map(chain -> chain.links().size() != 1).orElse(true)
                        || party.claims().containsKey("act") || party.subjectIssuer().isPresent()) {
                    throw refused("actor_token", "it is not a token the client got for itself");
                }
            });
            case TokenTypes.JWT -> trustedIssuers(client, presented.token(), "actor_token", issuer -> { }, token -> {
                if (!client.federatedSubjects().contains(ClientSnapshot.federatedSubject(token.issuer(), token.subject()))) {
                    throw refused("actor_token", "it names none of the client's federated credentials");
                }
            });
            default -> Uni.createFrom().failure(refused("actor_token", "actor_token_type " + presented.type()
                    + " is not supported"));
        };
    }

    private Uni<Party> ours(Optional<VerifiedToken> read, String parameter) {
        if (read.isEmpty()) {
            return Uni.createFrom().failure(refused(parameter, "not an unexpired token of ours of the type it says"));
        }
        VerifiedToken token = read.get();
        Optional<ExchangedFrom> lineage = ExchangedFrom.after(token);
        if (lineage.isEmpty()) {
            return Uni.createFrom().failure(refused(parameter, "it was exchanged " + ExchangedFrom.MAX_LINKS
                    + " times already"));
        }
        return active.clientOf(token).map(client -> {
            if (client.isEmpty()) {
                throw refused(parameter, "no longer honoured (revoked, or a client along it cut it off)");
            }
            Optional<String> subjectIssuer = token.claims().get(Party.SUBJECT_ISSUER) instanceof String other
                    ? Optional.of(other) : Optional.empty();
            return new Party(token.subject(), ownIssuer, subjectIssuer, Optional.of(token.scopes()), token.audience(),
                    token.expiresAt(), token.claims(), lineage);
        });
    }

    private Uni<Party> trustedIssuers(ClientSnapshot client, String compact, String parameter,
            java.util.function.Consumer<IssuerPolicy> issuerAllowed, java.util.function.Consumer<UnverifiedJwt> tokenAllowed) {
        UnverifiedJwt token;
        try {
            token = UnverifiedJwt.parse(compact);
        } catch (JwtRejectedException malformed) {
            return Uni.createFrom().failure(refused(parameter, "not a JWT"));
        }
        if (token.issuer().equals(ownIssuer)) {
            return Uni.createFrom().failure(refused(parameter, "a token of ours is presented as an access_token"));
        }
        return issuers.find(token.issuer()).flatMap(found -> {
            IssuerPolicy issuer = found.orElseThrow(() -> refused(parameter, "its issuer is not trusted"));
            issuerAllowed.accept(issuer);
            return issuerTokens.verified(token, issuer, false)
                    .invoke(() -> tokenAllowed.accept(token))
                    .flatMap(ignored -> issuerTokens.firstUse(client.clientId(), token, issuer))
                    .map(first -> {
                        if (!first) {
                            throw refused(parameter, "it was used before and its issuer allows no reuse");
                        }
                        Optional<List<String>> scopes = token.claim("scope") instanceof String scope
                                ? Optional.of(Arrays.stream(scope.split(" ")).filter(s -> !s.isEmpty()).toList())
                                : Optional.empty();
                        return new Party(token.subject(), token.issuer(), Optional.of(token.issuer()), scopes,
                                token.audience(), token.expiresAt(), token.claims(), Optional.empty());
                    });
        }).onFailure(JwtRejectedException.class).transform(failure -> refused(parameter,
                "refused by its issuer's rules: " + ((JwtRejectedException) failure).reason()));
    }

    private static OAuthException refused(String parameter, String why) {
        LOG.infof("Token exchange: %s refused: %s", parameter, why);
        return new OAuthException(OAuthError.INVALID_REQUEST, "The " + parameter + " is invalid or not acceptable");
    }
}
