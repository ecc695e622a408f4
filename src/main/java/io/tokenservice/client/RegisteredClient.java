package io.tokenservice.client;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A machine client registered with the service: its id, the slow hash of its secret (never the secret), and
 * what it may ask for. The Panache static finders are the storage seam; the schema belongs to Flyway.
 */
@Entity
@Table(name = "client", schema = "token_service")
public class RegisteredClient extends PanacheEntityBase {

    public static final String API = "api";
    public static final String CONFIG = "config";

    @Id
    @Column(name = "client_id", columnDefinition = "text")
    public String clientId;

    /** A PHC string (Argon2id, PBKDF2-SHA256) or a bcrypt hash; null for a client that authenticates with keys. */
    @Column(name = "secret_hash", columnDefinition = "text")
    public String secretHash;

    /** A human-readable name (RFC 7591 §2 client_name); optional. */
    @Column(name = "client_name", columnDefinition = "text")
    public String clientName;

    /** The secret replaced by the last rotation, valid until {@link #previousSecretExpiresAt}. */
    @Column(name = "previous_secret_hash", columnDefinition = "text")
    public String previousSecretHash;

    @Column(name = "previous_secret_expires_at")
    public OffsetDateTime previousSecretExpiresAt;

    /** The grant types it may use at the token endpoint, RFC 7591 §2 {@code grant_types}. */
    @Column(name = "grant_types", nullable = false, columnDefinition = "text[]")
    public String[] grantTypes = {ClientSnapshot.CLIENT_CREDENTIALS};

    /** Further aud values of subject tokens it may exchange (RFC 8693); its own client_id always counts. */
    @Column(name = "exchange_subject_audiences", nullable = false, columnDefinition = "text[]")
    public String[] exchangeSubjectAudiences = new String[0];

    /** The trusted issuers, by name, whose tokens it may exchange as subject tokens. */
    @Column(name = "exchange_trusted_issuers", nullable = false, columnDefinition = "text[]")
    public String[] exchangeTrustedIssuers = new String[0];

    /** Whether it may ask for transaction tokens. */
    @Column(name = "transaction_tokens", nullable = false)
    public boolean transactionTokens;

    /** Whether a repeat request may get back the token already issued to it (see {@code token.ReissueWindow}). */
    @Column(name = "reissue", nullable = false)
    public boolean reissue = true;

    /** The share of its lifetime a token must still have to be handed out again; null means the service's. */
    @Column(name = "reissue_min_remaining")
    public Double reissueMinRemaining;

    /** A tls_client_auth client's certificate subject DN (RFC 8705 §2.1.2), as RFC 4514 writes it; or null. */
    @Column(name = "tls_client_auth_subject_dn", columnDefinition = "text")
    public String tlsClientAuthSubjectDn;

    /** A tls_client_auth client's certificate DNS subject alternative name; or null. */
    @Column(name = "tls_client_auth_san_dns", columnDefinition = "text")
    public String tlsClientAuthSanDns;

    /** A tls_client_auth client's certificate URI subject alternative name (a SPIFFE ID, say); or null. */
    @Column(name = "tls_client_auth_san_uri", columnDefinition = "text")
    public String tlsClientAuthSanUri;

    /** A tls_client_auth client's certificate IP subject alternative name; or null. */
    @Column(name = "tls_client_auth_san_ip", columnDefinition = "text")
    public String tlsClientAuthSanIp;

    /** Whether its tokens are bound to the certificate it presents (RFC 8705 §3), which it must then present. */
    @Column(name = "tls_client_certificate_bound_access_tokens", nullable = false)
    public boolean certificateBoundAccessTokens;

    /** Whether its tokens are bound to a DPoP key (RFC 9449 §5.2), whose proof it must then present. */
    @Column(name = "dpop_bound_access_tokens", nullable = false)
    public boolean dpopBoundAccessTokens;

    /** The scopes this client may be granted, RFC 6749 §3.3. */
    @Column(name = "scopes", nullable = false, columnDefinition = "text[]")
    public String[] scopes = new String[0];

    /** The {@code aud} of its tokens; empty means the service default. */
    @Column(name = "audience", nullable = false, columnDefinition = "text[]")
    public String[] audience = new String[0];

    /** Seconds its access tokens live; null means {@code token-service.token.ttl}. */
    @Column(name = "access_token_ttl")
    public Integer accessTokenTtl;

    /** Tokens it may get per minute per replica; null means {@code token-service.quota.tokens-per-minute}. */
    @Column(name = "token_rate_limit")
    public Integer tokenRateLimit;

    /** The typ header of its access tokens, {@code at+jwt} or {@code JWT}; null means {@code at+jwt}. */
    @Column(name = "access_token_typ", columnDefinition = "text")
    public String accessTokenTyp;

    @Column(name = "token_endpoint_auth_method", nullable = false, columnDefinition = "text")
    public ClientAuthMethod authMethod = ClientAuthMethod.CLIENT_SECRET_BASIC;

    /** A private_key_jwt client's public keys, a JWK Set document (RFC 7517 §5); or null, see {@link #jwksUri}. */
    @Column(name = "jwks", columnDefinition = "text")
    public String jwks;

    /** Where a private_key_jwt client publishes its JWK Set (RFC 7591 §2 jwks_uri); or null, see {@link #jwks}. */
    @Column(name = "jwks_uri", columnDefinition = "text")
    public String jwksUri;

    /** The (issuer, subject) pairs a federated_jwt client is known by; empty for every other client. */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "federated_credential", schema = "token_service", joinColumns = @JoinColumn(name = "client_id"))
    public List<FederatedCredential> federatedCredentials = new ArrayList<>();

    /** Its tokens minted from an older version of it are no longer honoured (they carry client_version). */
    @Column(name = "tokens_min_version", nullable = false)
    public long tokensMinVersion;

    /**
     * Its tokens issued before this instant (a whole second) are no longer honoured; null for none. Only tokens
     * minted before registrations were numbered, which carry no {@code client_registration}, are judged by it.
     */
    @Column(name = "tokens_not_before")
    public OffsetDateTime tokensNotBefore;

    /**
     * A random number drawn at registration ({@link ClientRegistrations}); its tokens carry it, and a token carrying
     * another was issued to an earlier client under this id.
     */
    @Column(name = "registration", nullable = false, updatable = false)
    public long registration;

    @Column(name = "enabled", nullable = false)
    public boolean enabled = true;

    /**
     * Who owns it: {@link #API} for a client registered through the admin API, {@link #CONFIG} for one declared in
     * the clients file ({@code token-service.clients.file}), which only the file changes.
     */
    @Column(name = "source", nullable = false, columnDefinition = "text")
    public String source = API;

    @Column(name = "created_at", nullable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    @Version
    @Column(name = "version", nullable = false)
    public long version;

    public static Uni<List<RegisteredClient>> findByIds(Collection<String> clientIds) {
        return list("clientId in ?1", clientIds);
    }

    /** Whether the clients file declares it: the admin API may show it, not change it. */
    public boolean declared() {
        return CONFIG.equals(source);
    }

    public List<String> audienceList() {
        return List.of(audience);
    }
}
