package io.tokenservice.federation;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;

/**
 * An issuer whose tokens authenticate federated_jwt clients, as the admin API stores it. The Panache static
 * finders are the storage seam; {@link TrustedIssuers} is what the token path reads.
 */
@Entity
@Table(name = "trusted_issuer", schema = "token_service")
public class TrustedIssuer extends PanacheEntityBase {

    /** Its name in the admin API and in configuration: lower-case letters, digits and '-'. */
    @Id
    @Column(name = "name", columnDefinition = "text")
    public String name;

    /** The iss its tokens carry. */
    @Column(name = "issuer", nullable = false, columnDefinition = "text")
    public String issuer;

    /** Its JWK Set document, or null. */
    @Column(name = "jwks", columnDefinition = "text")
    public String jwks;

    /** Where its JWK Set is, or null; with no jwks either, its discovery document says. */
    @Column(name = "jwks_uri", columnDefinition = "text")
    public String jwksUri;

    /** The aud its tokens must name one of; empty: the token endpoint URL and the issuer. */
    @Column(name = "audiences", nullable = false, columnDefinition = "text[]")
    public String[] audiences = new String[0];

    /** Seconds: the oldest a token may be (now - iat). */
    @Column(name = "max_token_age", nullable = false)
    public int maxTokenAge = 3600;

    /** Whether one token may authenticate several requests within its lifetime. */
    @Column(name = "allow_reuse", nullable = false)
    public boolean allowReuse;

    @Column(name = "created_at", nullable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    @Version
    @Column(name = "version", nullable = false)
    public long version;
}
