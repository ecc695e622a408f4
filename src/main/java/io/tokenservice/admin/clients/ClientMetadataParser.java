package io.tokenservice.admin.clients;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenservice.admin.Audiences;
import io.tokenservice.admin.HttpUrls;
import io.tokenservice.admin.KeySetMetadata;
import io.tokenservice.client.ClientAuthMethod;
import io.tokenservice.client.ClientIds;
import io.tokenservice.client.ClientSnapshot;
import io.tokenservice.client.FederatedCredential;
import io.tokenservice.client.RegisteredClient;
import io.tokenservice.client.TlsClientAuthSubject;
import io.tokenservice.client.certificate.CertificateSubjects;
import io.tokenservice.client.secret.SecretHasher;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.endpoint.ScopeSyntax;
import io.tokenservice.error.OAuthException;
import io.tokenservice.net.IpLiterals;
import io.tokenservice.token.AdminAuthority;
import io.tokenservice.token.ClientTokenLimits;
import io.tokenservice.token.Grants;
import io.tokenservice.token.TrustDomain;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads and validates client metadata in RFC 7591 §2 names, for registration (POST) and for JSON merge
 * patches (RFC 7396). Every problem is a 400 {@link OAuthException} naming the field; nothing is applied to a
 * client unless the whole document is valid.
 */
@ApplicationScoped
public class ClientMetadataParser {

    /** A valid registration: the client to create, and the secret or hash it was imported with, if any. */
    public record Registration(RegisteredClient client, Optional<String> importedSecret, Optional<String> importedHash) {
    }

    /** A valid merge patch: the fields it changes and how. */
    public record Patch(Set<String> fields, List<Consumer<RegisteredClient>> changes) {
        public void applyTo(RegisteredClient client) {
            changes.forEach(change -> change.accept(client));
        }
    }

    static final int MIN_IMPORTED_SECRET_LENGTH = 32;
    private static final long MAX_PREVIOUS_SECRET_VALID_FOR = 30L * 24 * 3600;
    // A scope token's syntax is RFC 6749 §3.3 (endpoint.ScopeSyntax); its length, ours.
    private static final int MAX_SCOPE_LENGTH = 200;
    private static final int MAX_NAME_LENGTH = 200;
    private static final int MAX_TOKEN_RATE_LIMIT = 1_000_000;
    private static final int MAX_SECRET_LENGTH = 512;
    private static final int MAX_FEDERATED_CREDENTIALS = 20;
    private static final int MAX_SUBJECT_LENGTH = 1000;
    private static final Set<String> READ_ONLY = Set.of("created_at", "updated_at");

    private final long maxTtlSeconds;
    private final boolean allowHttpJwksUri;
    private final SecretHasher hasher;
    private final Grants grants;
    private final Set<String> unexchangeableAudiences;
    private final Optional<String> trustDomain;

    ClientMetadataParser(TokenServiceConfig config, SecretHasher hasher, Grants grants, AdminAuthority admin,
            TrustDomain trustDomain) {
        this.grants = grants;
        Set<String> unexchangeable = new LinkedHashSet<>(ClientTokenLimits.configuredDefaultAudience(config));
        unexchangeable.add(admin.audience());
        this.unexchangeableAudiences = Set.copyOf(unexchangeable);
        this.trustDomain = trustDomain.id();
        this.maxTtlSeconds = config.token().maxTtl().toSeconds();
        this.allowHttpJwksUri = config.assertions().jwks().allowHttp();
        this.hasher = hasher;
    }

    public Registration registration(JsonNode body) {
        JsonNode document = object(body);
        RegisteredClient client = new RegisteredClient();
        Optional<String> clientId = Optional.empty();
        Optional<String> secret = Optional.empty();
        Optional<String> hash = Optional.empty();
        List<Consumer<RegisteredClient>> changes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = document.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "client_id" -> clientId = Optional.ofNullable(value.isNull() ? null : ownClientId(value));
                case "client_secret" -> secret = Optional.ofNullable(value.isNull() ? null : importedSecret(value));
                case "client_secret_hash" -> hash = Optional.ofNullable(value.isNull() ? null : importedHash(value));
                default -> {
                    if (!value.isNull()) {
                        changes.add(change(field.getKey(), value));
                    }
                }
            }
        }
        if (secret.isPresent() && hash.isPresent()) {
            throw OAuthException.invalidField("client_secret_hash", "Give client_secret or client_secret_hash, not both");
        }
        clientId.ifPresent(id -> client.clientId = id);
        changes.forEach(change -> change.accept(client));
        if (!client.authMethod.usesSecret() && (secret.isPresent() || hash.isPresent())) {
            throw OAuthException.invalidField(secret.isPresent() ? "client_secret" : "client_secret_hash",
                    "A " + client.authMethod.value() + " client has no secret");
        }
        checkKeys(client, false);
        return new Registration(client, secret, hash);
    }

    /**
     * {@code previous_secret_valid_for}: how long, in whole seconds up to 30 days, a replaced secret stays valid;
     * absent or null is 0. For a rotation through the admin API and a new hash in the clients file alike.
     *
     * @throws OAuthException 400 naming the field
     */
    public static long previousSecretValidFor(JsonNode value) {
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber() || value.longValue() < 0 || value.longValue() > MAX_PREVIOUS_SECRET_VALID_FOR) {
            throw OAuthException.invalidField("previous_secret_valid_for",
                    "previous_secret_valid_for must be whole seconds from 0 to " + MAX_PREVIOUS_SECRET_VALID_FOR);
        }
        return value.longValue();
    }

    /**
     * Every problem of a registration document field by field (the first of each), before the rules between fields
     * ({@link #checkKeys}), which need the fields valid: for a file, whose every error is listed at once.
     */
    public List<OAuthException> fieldErrors(JsonNode document) {
        List<OAuthException> errors = new ArrayList<>();
        document.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            if (value.isNull()) {
                return;
            }
            try {
                switch (field.getKey()) {
                    case "client_id" -> ownClientId(value);
                    case "client_secret" -> importedSecret(value);
                    case "client_secret_hash" -> importedHash(value);
                    default -> change(field.getKey(), value);
                }
            } catch (OAuthException e) {
                errors.add(e);
            }
        });
        return errors;
    }

    /**
     * The key rules of a client as a change would leave it: a private_key_jwt client has {@code jwks} or
     * {@code jwks_uri}, not both; a secret client has neither, and a client without a secret cannot take a secret
     * method (it has none to present: register a new client).
     *
     * @param registered whether the client exists already (a new one gets its secret when registered)
     * @throws OAuthException 400 naming the field
     */
    public void checkKeys(RegisteredClient client, boolean registered) {
        checkCertificateSubject(client);
        boolean federated = client.authMethod == ClientAuthMethod.FEDERATED_JWT;
        if (federated == client.federatedCredentials.isEmpty()) {
            throw OAuthException.invalidField("federated_credentials", federated
                    ? "A federated_jwt client needs federated_credentials"
                    : "federated_credentials are for federated_jwt clients");
        }
        if (federated) {
            if (client.jwks != null || client.jwksUri != null) {
                throw OAuthException.invalidField(client.jwks != null ? "jwks" : "jwks_uri",
                        "A federated_jwt client has no keys of its own: its issuer's keys verify its tokens");
            }
            return;
        }
        if (client.authMethod.usesKeys()) {
            if ((client.jwks == null) == (client.jwksUri == null)) {
                throw OAuthException.invalidField("jwks", "A " + client.authMethod.value()
                        + " client needs jwks or jwks_uri, not both");
            }
            return;
        }
        if (client.jwks != null || client.jwksUri != null) {
            throw OAuthException.invalidField(client.jwks != null ? "jwks" : "jwks_uri",
                    "jwks and jwks_uri are for private_key_jwt and self_signed_tls_client_auth clients");
        }
        if (client.authMethod == ClientAuthMethod.TLS_CLIENT_AUTH) {
            return;
        }
        if (registered && client.secretHash == null) {
            throw OAuthException.invalidField("token_endpoint_auth_method",
                    "This client has no secret to authenticate with " + client.authMethod.value()
                            + "; register a new client for it");
        }
    }

    /** RFC 8705 §2.1.2: a tls_client_auth client registers exactly one certificate subject value; no other, any. */
    private static void checkCertificateSubject(RegisteredClient client) {
        List<String> given = new ArrayList<>();
        if (client.tlsClientAuthSubjectDn != null) {
            given.add(TlsClientAuthSubject.Kind.SUBJECT_DN.metadata());
        }
        if (client.tlsClientAuthSanDns != null) {
            given.add(TlsClientAuthSubject.Kind.SAN_DNS.metadata());
        }
        if (client.tlsClientAuthSanUri != null) {
            given.add(TlsClientAuthSubject.Kind.SAN_URI.metadata());
        }
        if (client.tlsClientAuthSanIp != null) {
            given.add(TlsClientAuthSubject.Kind.SAN_IP.metadata());
        }
        boolean tls = client.authMethod == ClientAuthMethod.TLS_CLIENT_AUTH;
        if (tls && given.size() != 1) {
            throw OAuthException.invalidField(given.isEmpty() ? "tls_client_auth_subject_dn" : given.get(1),
                    "A tls_client_auth client registers exactly one of tls_client_auth_subject_dn, "
                            + "tls_client_auth_san_dns, tls_client_auth_san_uri and tls_client_auth_san_ip");
        }
        if (!tls && !given.isEmpty()) {
            throw OAuthException.invalidField(given.get(0), given.get(0) + " is for tls_client_auth clients");
        }
    }

    public Patch patch(JsonNode body) {
        JsonNode document = object(body);
        Set<String> names = new LinkedHashSet<>();
        List<Consumer<RegisteredClient>> changes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = document.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (name.equals("client_id") || READ_ONLY.contains(name)) {
                throw OAuthException.invalidField(name, name + " cannot be changed");
            }
            if (name.equals("client_secret") || name.equals("client_secret_hash")) {
                throw OAuthException.invalidField(name, "Rotate secrets with POST /admin/clients/{client_id}/secret");
            }
            changes.add(change(name, field.getValue()));
            names.add(name);
        }
        return new Patch(names, changes);
    }

    /** Validates one metadata field now; the returned change applies it later. JSON null resets (RFC 7396). */
    private Consumer<RegisteredClient> change(String name, JsonNode value) {
        boolean reset = value.isNull();
        return switch (name) {
            case "client_name" -> {
                String clientName = reset ? null : text(name, value, MAX_NAME_LENGTH);
                yield client -> client.clientName = clientName;
            }
            case "scope" -> {
                String[] scopes = reset ? new String[0] : scopes(value);
                yield client -> client.scopes = scopes;
            }
            case "audience" -> {
                String[] audience = reset ? new String[0] : Audiences.parse(name, value);
                // Only transaction tokens carry the trust domain: an access token for it could pass for one.
                if (trustDomain.isPresent() && List.of(audience).contains(trustDomain.get())) {
                    throw OAuthException.invalidField(name, "'" + trustDomain.get() + "' is the trust domain of "
                            + "transaction tokens, which no access token may carry");
                }
                yield client -> client.audience = audience;
            }
            case "token_exchange_subject_audiences" -> {
                String[] audiences = reset ? new String[0] : Audiences.parse(name, value);
                for (String audience : audiences) {
                    // Tokens of every client carry the default audience, admin tokens the admin one: exchanging all
                    // of them is no client's business.
                    if (unexchangeableAudiences.contains(audience)) {
                        throw OAuthException.invalidField(name, "'" + audience + "' is the default token audience or "
                                + "the admin audience; name an audience of the client's own");
                    }
                }
                yield client -> client.exchangeSubjectAudiences = audiences;
            }
            case "token_exchange_trusted_issuers" -> {
                String[] issuers = reset ? new String[0] : trustedIssuerNames(name, value);
                yield client -> client.exchangeTrustedIssuers = issuers;
            }
            case "transaction_tokens" -> {
                boolean allowed = !reset && bool(name, value);
                if (allowed && trustDomain.isEmpty()) {
                    throw OAuthException.invalidField(name, "this service issues no transaction tokens: it has no "
                            + "token-service.transaction-tokens.trust-domain");
                }
                yield client -> client.transactionTokens = allowed;
            }
            case "grant_types" -> {
                String[] grantTypes = reset ? new String[] {Grants.CLIENT_CREDENTIALS} : grantTypes(value);
                yield client -> client.grantTypes = grantTypes;
            }
            case "access_token_ttl" -> {
                Integer ttl = reset ? null : ttl(value);
                yield client -> client.accessTokenTtl = ttl;
            }
            case "access_token_typ" -> {
                String typ = reset ? null : accessTokenTyp(value);
                yield client -> client.accessTokenTyp = typ;
            }
            case "reissue" -> {
                boolean allowed = reset || bool(name, value);
                yield client -> client.reissue = allowed;
            }
            case "reissue_min_remaining" -> {
                if (!reset && !(value.isNumber() && value.doubleValue() >= 0 && value.doubleValue() <= 1)) {
                    throw OAuthException.invalidField(name, "reissue_min_remaining must be a number from 0 to 1");
                }
                Double share = reset ? null : value.doubleValue();
                yield client -> client.reissueMinRemaining = share;
            }
            case "token_rate_limit" -> {
                Integer limit = reset ? null : tokenRateLimit(value);
                yield client -> client.tokenRateLimit = limit;
            }
            case "token_endpoint_auth_method" -> {
                ClientAuthMethod method = authMethod(notNull(name, value));
                yield client -> {
                    client.authMethod = method;
                    if (!method.usesSecret()) {
                        // A client that signs its assertions keeps no secret, nor a grace-window one.
                        client.secretHash = null;
                        client.previousSecretHash = null;
                        client.previousSecretExpiresAt = null;
                    }
                };
            }
            case "jwks" -> {
                String jwks = reset ? null : KeySetMetadata.jwks(value);
                yield client -> client.jwks = jwks;
            }
            case "federated_credentials" -> {
                List<FederatedCredential> pairs = reset ? List.of() : federatedCredentials(value);
                yield client -> {
                    client.federatedCredentials.clear();
                    client.federatedCredentials.addAll(pairs);
                };
            }
            case "jwks_uri" -> {
                String jwksUri = reset ? null : KeySetMetadata.jwksUri(value, allowHttpJwksUri);
                yield client -> client.jwksUri = jwksUri;
            }
            case "tls_client_auth_subject_dn" -> {
                String dn = reset ? null : text(name, value, 1000);
                if (dn != null && CertificateSubjects.subjectDn(dn).isEmpty()) {
                    throw OAuthException.invalidField(name, name + " must be a distinguished name as RFC 4514 writes it");
                }
                yield client -> client.tlsClientAuthSubjectDn = dn;
            }
            case "tls_client_auth_san_dns" -> {
                String dns = reset ? null : text(name, value, 253);
                if (dns != null && !CertificateSubjects.isDnsName(dns)) {
                    throw OAuthException.invalidField(name, name + " must be a DNS name");
                }
                yield client -> client.tlsClientAuthSanDns = dns;
            }
            case "tls_client_auth_san_uri" -> {
                String uri = reset ? null : text(name, value, 2000);
                if (uri != null && !absoluteUri(uri)) {
                    throw OAuthException.invalidField(name, name + " must be an absolute URI (e.g. a SPIFFE ID)");
                }
                yield client -> client.tlsClientAuthSanUri = uri;
            }
            case "tls_client_auth_san_ip" -> {
                String ip = reset ? null : text(name, value, 45);
                if (ip != null && IpLiterals.parse(ip).isEmpty()) {
                    throw OAuthException.invalidField(name, name + " must be an IPv4 or IPv6 address");
                }
                yield client -> client.tlsClientAuthSanIp = ip;
            }
            case "tls_client_certificate_bound_access_tokens" -> {
                boolean bound = !reset && bool(name, value);
                yield client -> client.certificateBoundAccessTokens = bound;
            }
            case "dpop_bound_access_tokens" -> {
                boolean bound = !reset && bool(name, value);
                yield client -> client.dpopBoundAccessTokens = bound;
            }
            case "enabled" -> {
                boolean enabled = bool(name, notNull(name, value));
                yield client -> client.enabled = enabled;
            }
            default -> throw OAuthException.invalidField(name, "Unknown client metadata field " + name);
        };
    }

    private static JsonNode object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw OAuthException.invalidField("body", "The request body must be a JSON object");
        }
        return body;
    }

    private static JsonNode notNull(String name, JsonNode value) {
        if (value.isNull()) {
            throw OAuthException.invalidField(name, name + " cannot be null");
        }
        return value;
    }

    private static boolean bool(String name, JsonNode value) {
        if (!value.isBoolean()) {
            throw OAuthException.invalidField(name, name + " must be true or false");
        }
        return value.booleanValue();
    }

    private static boolean absoluteUri(String value) {
        try {
            java.net.URI uri = new java.net.URI(value);
            return uri.isAbsolute() && value.chars().allMatch(c -> c > 0x20 && c < 0x7f);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static String text(String name, JsonNode value, int maxLength) {
        if (!value.isTextual() || value.textValue().isEmpty() || value.textValue().length() > maxLength) {
            throw OAuthException.invalidField(name, name + " must be a string of 1 to " + maxLength + " characters");
        }
        return value.textValue();
    }

    /**
     * A client_id no token audience is: a subject token addressed to the client's id may be exchanged by it, so an id
     * equal to the default or admin audience would let it exchange every client's tokens; nor the trust domain.
     */
    private String ownClientId(JsonNode value) {
        String clientId = clientId(value);
        if (unexchangeableAudiences.contains(clientId) || trustDomain.filter(clientId::equals).isPresent()) {
            throw OAuthException.invalidField("client_id", "client_id may not be the default token audience, the admin "
                    + "audience or the trust domain");
        }
        return clientId;
    }

    private static String clientId(JsonNode value) {
        String clientId = text("client_id", value, 255);
        if (!ClientIds.isValid(clientId)) {
            throw OAuthException.invalidField("client_id", "client_id must be visible ASCII characters without spaces");
        }
        return clientId;
    }

    private static String importedSecret(JsonNode value) {
        String secret = text("client_secret", value, MAX_SECRET_LENGTH);
        if (secret.length() < MIN_IMPORTED_SECRET_LENGTH) {
            throw OAuthException.invalidField("client_secret",
                    "An imported client_secret needs at least " + MIN_IMPORTED_SECRET_LENGTH + " characters");
        }
        return secret;
    }

    private String importedHash(JsonNode value) {
        String hash = text("client_secret_hash", value, 1024);
        if (!hasher.isSupported(hash)) {
            throw OAuthException.invalidField("client_secret_hash",
                    "client_secret_hash must be an Argon2id or PBKDF2-SHA256 PHC string or a bcrypt hash");
        }
        return hash;
    }

    private static String[] scopes(JsonNode value) {
        if (!value.isTextual()) {
            throw OAuthException.invalidField("scope", "scope must be a space-delimited string");
        }
        String[] scopes = value.textValue().trim().isEmpty() ? new String[0]
                : value.textValue().trim().split(" +");
        for (String scope : scopes) {
            if (!ScopeSyntax.isScopeToken(scope) || scope.length() > MAX_SCOPE_LENGTH) {
                throw OAuthException.invalidField("scope", "scope tokens must be RFC 6749 section 3.3 characters");
            }
        }
        return new LinkedHashSet<>(List.of(scopes)).toArray(String[]::new);
    }

    /** An array of at most 20 trusted issuer names (lower-case letters, digits and '-'), which need not exist yet. */
    private static String[] trustedIssuerNames(String field, JsonNode value) {
        if (!value.isArray() || value.size() > 20) {
            throw OAuthException.invalidField(field, field + " must be an array of at most 20 trusted issuer names");
        }
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode entry : value) {
            if (!entry.isTextual() || !entry.textValue().matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
                throw OAuthException.invalidField(field, field + " must hold trusted issuer names");
            }
            names.add(entry.textValue());
        }
        return names.toArray(String[]::new);
    }

    /** RFC 7591 §2 grant_types: a non-empty array of the grant types the token endpoint has. */
    private String[] grantTypes(JsonNode value) {
        if (!value.isArray() || value.isEmpty()) {
            throw OAuthException.invalidField("grant_types", "grant_types must be a non-empty array of " + grants.types());
        }
        Set<String> types = new LinkedHashSet<>();
        for (JsonNode entry : value) {
            if (!entry.isTextual() || !grants.exists(entry.textValue())) {
                throw OAuthException.invalidField("grant_types", "grant_types must name grants of " + grants.types());
            }
            types.add(entry.textValue());
        }
        return types.toArray(String[]::new);
    }

    private Integer ttl(JsonNode value) {
        if (!value.canConvertToLong() || !value.isIntegralNumber() || value.longValue() < 1 || value.longValue() > maxTtlSeconds) {
            throw OAuthException.invalidField("access_token_ttl",
                    "access_token_ttl must be whole seconds from 1 to " + maxTtlSeconds);
        }
        return (int) value.longValue();
    }

    private static String accessTokenTyp(JsonNode value) {
        if (!value.isTextual() || !(value.textValue().equals(ClientSnapshot.AT_JWT) || value.textValue().equals(ClientSnapshot.JWT))) {
            throw OAuthException.invalidField("access_token_typ", "access_token_typ must be at+jwt or JWT");
        }
        return value.textValue();
    }

    private static Integer tokenRateLimit(JsonNode value) {
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 1
                || value.longValue() > MAX_TOKEN_RATE_LIMIT) {
            throw OAuthException.invalidField("token_rate_limit",
                    "token_rate_limit must be tokens per minute from 1 to " + MAX_TOKEN_RATE_LIMIT);
        }
        return (int) value.longValue();
    }

    /** 1 to 20 distinct {"issuer": an absolute http(s) URL, "subject": 1 to 1000 visible characters} objects. */
    private static List<FederatedCredential> federatedCredentials(JsonNode value) {
        String field = "federated_credentials";
        if (!value.isArray() || value.isEmpty() || value.size() > MAX_FEDERATED_CREDENTIALS) {
            throw OAuthException.invalidField(field, field + " must be an array of 1 to " + MAX_FEDERATED_CREDENTIALS
                    + " {\"issuer\", \"subject\"} objects");
        }
        Set<FederatedCredential> pairs = new LinkedHashSet<>();
        for (JsonNode entry : value) {
            if (!entry.isObject() || entry.size() != 2 || !entry.path("issuer").isTextual() || !entry.path("subject").isTextual()) {
                throw OAuthException.invalidField(field, "each of federated_credentials is {\"issuer\": …, \"subject\": …}");
            }
            String issuer = entry.get("issuer").textValue();
            String subject = entry.get("subject").textValue();
            if (!HttpUrls.isAbsolute(issuer, true, false)) {
                throw OAuthException.invalidField(field, "a federated credential's issuer must be an absolute http or https "
                        + "URL of at most " + HttpUrls.MAX_LENGTH + " characters, without query or fragment");
            }
            if (subject.isEmpty() || subject.length() > MAX_SUBJECT_LENGTH || !subject.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw OAuthException.invalidField(field, "a federated credential's subject must be 1 to "
                        + MAX_SUBJECT_LENGTH + " visible ASCII characters");
            }
            pairs.add(new FederatedCredential(issuer, subject));
        }
        return List.copyOf(pairs);
    }

    private static ClientAuthMethod authMethod(JsonNode value) {
        return Optional.ofNullable(value.isTextual() ? value.textValue() : null)
                .flatMap(ClientAuthMethod::fromValue)
                .orElseThrow(() -> OAuthException.invalidField("token_endpoint_auth_method",
                        "token_endpoint_auth_method must be client_secret_basic, client_secret_post, private_key_jwt,"
                                + " federated_jwt, tls_client_auth or self_signed_tls_client_auth"));
    }
}
