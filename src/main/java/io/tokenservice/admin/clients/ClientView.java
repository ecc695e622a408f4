package io.tokenservice.admin.clients;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.tokenservice.client.RegisteredClient;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A client as the admin API shows it, in RFC 7591 §2 metadata names, with {@code source}: {@code api}, or
 * {@code config} for a client the clients file declares. Never a secret hash; the secret itself only in the one
 * response that creates it ({@code client_secret}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientView(
        @JsonProperty("client_id") String clientId,
        @JsonProperty("client_secret") String clientSecret,
        @JsonProperty("client_name") String clientName,
        @JsonProperty("scope") String scope,
        @JsonProperty("audience") List<String> audience,
        @JsonProperty("token_endpoint_auth_method") String tokenEndpointAuthMethod,
        @JsonProperty("grant_types") List<String> grantTypes,
        @JsonProperty("token_exchange_subject_audiences") List<String> tokenExchangeSubjectAudiences,
        @JsonProperty("token_exchange_trusted_issuers") List<String> tokenExchangeTrustedIssuers,
        @JsonProperty("transaction_tokens") boolean transactionTokens,
        @JsonProperty("jwks") @JsonRawValue String jwks,
        @JsonProperty("jwks_uri") String jwksUri,
        @JsonProperty("federated_credentials") List<Pair> federatedCredentials,
        @JsonProperty("tls_client_auth_subject_dn") String tlsClientAuthSubjectDn,
        @JsonProperty("tls_client_auth_san_dns") String tlsClientAuthSanDns,
        @JsonProperty("tls_client_auth_san_uri") String tlsClientAuthSanUri,
        @JsonProperty("tls_client_auth_san_ip") String tlsClientAuthSanIp,
        @JsonProperty("tls_client_certificate_bound_access_tokens") boolean certificateBoundAccessTokens,
        @JsonProperty("dpop_bound_access_tokens") boolean dpopBoundAccessTokens,
        @JsonProperty("access_token_ttl") Integer accessTokenTtl,
        @JsonProperty("token_rate_limit") Integer tokenRateLimit,
        @JsonProperty("access_token_typ") String accessTokenTyp,
        @JsonProperty("reissue") boolean reissue,
        @JsonProperty("reissue_min_remaining") Double reissueMinRemaining,
        @JsonProperty("enabled") boolean enabled,
        @JsonProperty("source") String source,
        @JsonProperty("previous_secret_expires_at") String previousSecretExpiresAt,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt) {

    /** A federated credential: the issuer whose token about this subject authenticates the client. */
    public record Pair(@JsonProperty("issuer") String issuer, @JsonProperty("subject") String subject) {
    }

    public static ClientView of(RegisteredClient client) {
        return of(client, null);
    }

    static ClientView of(RegisteredClient client, String newSecret) {
        OffsetDateTime now = OffsetDateTime.now();
        return new ClientView(client.clientId, newSecret, client.clientName, String.join(" ", client.scopes),
                client.audienceList(), client.authMethod.value(), List.of(client.grantTypes),
                List.of(client.exchangeSubjectAudiences), List.of(client.exchangeTrustedIssuers), client.transactionTokens,
                client.jwks, client.jwksUri,
                client.federatedCredentials.isEmpty() ? null : client.federatedCredentials.stream()
                        .map(pair -> new Pair(pair.issuer, pair.subject)).toList(),
                client.tlsClientAuthSubjectDn, client.tlsClientAuthSanDns, client.tlsClientAuthSanUri,
                client.tlsClientAuthSanIp, client.certificateBoundAccessTokens, client.dpopBoundAccessTokens,
                client.accessTokenTtl, client.tokenRateLimit,
                client.accessTokenTyp == null ? "at+jwt" : client.accessTokenTyp, client.reissue, client.reissueMinRemaining, client.enabled,
                client.source,
                client.previousSecretExpiresAt != null && client.previousSecretExpiresAt.isAfter(now)
                        ? instant(client.previousSecretExpiresAt) : null,
                instant(client.createdAt), instant(client.updatedAt));
    }

    private static String instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant().toString();
    }
}
