package io.tokenservice.client;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An immutable copy of a registered client as the token endpoint needs it, safe to share between requests and
 * to keep in {@link ClientDirectory}.
 *
 * @param previousSecretHash the secret replaced by the last rotation, or null
 * @param accessTokenTtl seconds, or null for the service default
 * @param version the row's version, which its tokens carry as {@code client_version}
 * @param tokensMinVersion its tokens of an older version are no longer honoured
 * @param tokensNotBefore its tokens issued before this instant are no longer honoured; {@link Instant#EPOCH} for none
 * @param tokenRateLimit tokens per minute, or null for the service's default quota
 * @param accessTokenTyp the typ header of its tokens: {@code at+jwt} (RFC 9068) or {@code JWT}
 * @param jwks a private_key_jwt client's inline JWK Set document, or null
 * @param jwksUri where a private_key_jwt client publishes its JWK Set, or null
 * @param federatedSubjects the (issuer, subject) pairs of a federated_jwt client, each as issuer + space + subject
 * @param registration the number drawn when it was registered, which its tokens carry as {@code client_registration}
 * @param grantTypes the grant types it may use at the token endpoint (RFC 7591 §2 {@code grant_types})
 * @param exchange what it may exchange beyond the default, when registered for token exchange
 * @param reissue whether a repeat request of it may get back the token already issued to it, and within what window
 * @param tlsSubject what a tls_client_auth client's certificate must carry; empty for other clients
 * @param binding what its access tokens must be bound to
 */
public record ClientSnapshot(String clientId, String secretHash, String previousSecretHash,
        Instant previousSecretExpiresAt, List<String> scopes, List<String> audience, Integer accessTokenTtl,
        ClientAuthMethod authMethod, boolean enabled, long version, long tokensMinVersion, Instant tokensNotBefore,
        Integer tokenRateLimit, String accessTokenTyp, String jwks, String jwksUri, Set<String> federatedSubjects,
        long registration, Set<String> grantTypes, ExchangePolicy exchange, ReissuePolicy reissue,
        Optional<TlsClientAuthSubject> tlsSubject, TokenBinding binding) {

    /** RFC 9068 §2.1: the typ of a JWT access token, the default. */
    public static final String AT_JWT = "at+jwt";
    /** The plain typ, for APIs whose framework insists on it. */
    public static final String JWT = "JWT";
    /** The grant every client is registered for unless its metadata says otherwise. */
    public static final String CLIENT_CREDENTIALS = "client_credentials";

    /** A client of the grant types every client had before there were others. */
    public ClientSnapshot(String clientId, String secretHash, String previousSecretHash, Instant previousSecretExpiresAt,
            List<String> scopes, List<String> audience, Integer accessTokenTtl, ClientAuthMethod authMethod,
            boolean enabled, long version, long tokensMinVersion, Instant tokensNotBefore, Integer tokenRateLimit,
            String accessTokenTyp, String jwks, String jwksUri, Set<String> federatedSubjects, long registration) {
        this(clientId, secretHash, previousSecretHash, previousSecretExpiresAt, scopes, audience, accessTokenTtl,
                authMethod, enabled, version, tokensMinVersion, tokensNotBefore, tokenRateLimit, accessTokenTyp, jwks,
                jwksUri, federatedSubjects, registration, Set.of(CLIENT_CREDENTIALS), ExchangePolicy.NONE, ReissuePolicy.DEFAULT,
                Optional.empty(), TokenBinding.NONE);
    }

    /** A secret client. */
    public ClientSnapshot(String clientId, String secretHash, String previousSecretHash, Instant previousSecretExpiresAt,
            List<String> scopes, List<String> audience, Integer accessTokenTtl, ClientAuthMethod authMethod,
            boolean enabled, long version, long tokensMinVersion, Instant tokensNotBefore, Integer tokenRateLimit,
            String accessTokenTyp) {
        this(clientId, secretHash, previousSecretHash, previousSecretExpiresAt, scopes, audience, accessTokenTtl,
                authMethod, enabled, version, tokensMinVersion, tokensNotBefore, tokenRateLimit, accessTokenTyp, null, null,
                Set.of(), 0);
    }

    /** A client with no tokens-not-before. */
    public ClientSnapshot(String clientId, String secretHash, String previousSecretHash, Instant previousSecretExpiresAt,
            List<String> scopes, List<String> audience, Integer accessTokenTtl, ClientAuthMethod authMethod,
            boolean enabled) {
        this(clientId, secretHash, previousSecretHash, previousSecretExpiresAt, scopes, audience, accessTokenTtl,
                authMethod, enabled, 0, 0, Instant.EPOCH, null, AT_JWT);
    }

    static ClientSnapshot of(RegisteredClient client) {
        return new ClientSnapshot(client.clientId, client.secretHash, client.previousSecretHash,
                client.previousSecretExpiresAt == null ? null : client.previousSecretExpiresAt.toInstant(),
                List.of(client.scopes), List.of(client.audience), client.accessTokenTtl, client.authMethod,
                client.enabled, client.version, client.tokensMinVersion,
                client.tokensNotBefore == null ? Instant.EPOCH : client.tokensNotBefore.toInstant(), client.tokenRateLimit,
                client.accessTokenTyp == null ? AT_JWT : client.accessTokenTyp, client.jwks, client.jwksUri,
                client.federatedCredentials.stream().map(pair -> federatedSubject(pair.issuer, pair.subject))
                        .collect(Collectors.toUnmodifiableSet()), client.registration, Set.copyOf(List.of(client.grantTypes)),
                new ExchangePolicy(Set.copyOf(List.of(client.exchangeSubjectAudiences)),
                        Set.copyOf(List.of(client.exchangeTrustedIssuers)), client.transactionTokens),
                new ReissuePolicy(client.reissue, client.reissueMinRemaining == null ? OptionalDouble.empty()
                        : OptionalDouble.of(client.reissueMinRemaining)),
                TlsClientAuthSubject.of(client),
                new TokenBinding(client.certificateBoundAccessTokens, client.dpopBoundAccessTokens));
    }

    /**
     * Whether a token of this client, minted from its version {@code clientVersion} at {@code issuedAt} for its
     * registration {@code tokenRegistration}, is still honoured: the client is enabled, did not cut off tokens of
     * that version, and the token was issued to this registration of it, not to an earlier client under its id. A
     * token minted before registrations were numbered ({@code tokenRegistration} empty) must have been issued since
     * the client was registered.
     */
    public boolean honoursToken(long clientVersion, OptionalLong tokenRegistration, Instant issuedAt) {
        boolean thisRegistration = tokenRegistration.isPresent() ? tokenRegistration.getAsLong() == registration
                : !issuedAt.isBefore(tokensNotBefore);
        return enabled && clientVersion >= tokensMinVersion && thisRegistration;
    }

    /** How {@link #federatedSubjects} writes a pair: no issuer URL holds a space. */
    public static String federatedSubject(String issuer, String subject) {
        return issuer + ' ' + subject;
    }

    /** The previous secret's hash while its grace window lasts, else null. */
    public String previousSecretHashValidAt(Instant now) {
        return previousSecretHash != null && previousSecretExpiresAt != null && previousSecretExpiresAt.isAfter(now)
                ? previousSecretHash
                : null;
    }
}
