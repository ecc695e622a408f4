package io.tokenservice.federation.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.tokenservice.federation.IssuerPolicy;
import io.tokenservice.federation.TrustedIssuer;
import java.util.List;

/** A trusted issuer as the admin API shows it; {@code source} says whether the API or configuration defines it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrustedIssuerView(
        @JsonProperty("name") String name,
        @JsonProperty("issuer") String issuer,
        @JsonProperty("jwks") @JsonRawValue String jwks,
        @JsonProperty("jwks_uri") String jwksUri,
        @JsonProperty("audiences") List<String> audiences,
        @JsonProperty("max_token_age") long maxTokenAge,
        @JsonProperty("allow_reuse") boolean allowReuse,
        @JsonProperty("source") String source,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt) {

    static TrustedIssuerView of(TrustedIssuer stored) {
        return new TrustedIssuerView(stored.name, stored.issuer, stored.jwks, stored.jwksUri, List.of(stored.audiences),
                stored.maxTokenAge, stored.allowReuse, IssuerPolicy.DATABASE,
                stored.createdAt == null ? null : stored.createdAt.toInstant().toString(),
                stored.updatedAt == null ? null : stored.updatedAt.toInstant().toString());
    }

    static TrustedIssuerView of(IssuerPolicy configured) {
        return new TrustedIssuerView(configured.name(), configured.issuer(), configured.jwks().orElse(null),
                configured.jwksUri().orElse(null), List.copyOf(configured.audiences()),
                configured.maxTokenAge().toSeconds(), configured.allowReuse(), configured.source(), null, null);
    }
}
