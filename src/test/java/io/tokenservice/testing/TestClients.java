package io.tokenservice.testing;

import io.tokenservice.client.secret.SecretHasher;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Registers clients straight in the database for tests. Every builder starts from a valid, enabled
 * client_secret_basic client with scopes "read write" and a fresh random id and secret; a test changes one thing.
 */
public final class TestClients {

    private static final SecureRandom RANDOM = new SecureRandom();

    public record Registered(String clientId, String secret) {
    }

    private final DataSource dataSource;
    private final SecretHasher hasher;

    public TestClients(DataSource dataSource, SecretHasher hasher) {
        this.dataSource = dataSource;
        this.hasher = hasher;
    }

    public Builder client() {
        return new Builder();
    }

    /** The aud the running application's admin API asks for (token-service.admin.audience, or issuer + /admin). */
    public static String adminAudience() {
        var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        return config.getOptionalValue("token-service.admin.audience", String.class).orElseGet(() ->
                config.getValue("token-service.issuer", String.class).replaceAll("/+$", "") + "/admin");
    }

    public static String randomSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public final class Builder {
        private String clientId = "client-" + UUID.randomUUID();
        private String secret = randomSecret();
        private String secretHash;
        private List<String> scopes = List.of("read", "write");
        private List<String> audience = List.of();
        private Integer ttl;
        private String method = "client_secret_basic";
        private boolean enabled = true;
        private String typ;
        private boolean reissue = true;

        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        public Builder secret(String secret) {
            this.secret = secret;
            return this;
        }

        /** Stores this hash as it is, as an import from another server would. */
        public Builder secretHash(String secretHash) {
            this.secretHash = secretHash;
            return this;
        }

        public Builder scopes(String... scopes) {
            this.scopes = List.of(scopes);
            return this;
        }

        public Builder audience(String... audience) {
            this.audience = List.of(audience);
            return this;
        }

        /** An administrator: scope admin and the admin audience of the running application's configuration. */
        public Builder administrator() {
            return scopes("admin").audience(adminAudience());
        }

        public Builder accessTokenTtl(int seconds) {
            this.ttl = seconds;
            return this;
        }

        public Builder clientSecretPost() {
            this.method = "client_secret_post";
            return this;
        }

        public Builder accessTokenTyp(String typ) {
            this.typ = typ;
            return this;
        }

        /** Opted out of the reissue window: every token it asks for is signed anew. */
        public Builder noReissue() {
            this.reissue = false;
            return this;
        }

        public Builder disabled() {
            this.enabled = false;
            return this;
        }

        public Registered register() {
            String hash = secretHash != null ? secretHash : hasher.hash(secret).await().indefinitely();
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement insert = connection.prepareStatement("""
                            INSERT INTO token_service.client (client_id, secret_hash, scopes, audience, access_token_ttl,
                                token_endpoint_auth_method, enabled, access_token_typ, reissue)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                Array scopeArray = connection.createArrayOf("text", scopes.toArray());
                Array audienceArray = connection.createArrayOf("text", audience.toArray());
                insert.setString(1, clientId);
                insert.setString(2, hash);
                insert.setArray(3, scopeArray);
                insert.setArray(4, audienceArray);
                if (ttl == null) {
                    insert.setNull(5, Types.INTEGER);
                } else {
                    insert.setInt(5, ttl);
                }
                insert.setString(6, method);
                insert.setBoolean(7, enabled);
                insert.setString(8, typ);
                insert.setBoolean(9, reissue);
                insert.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return new Registered(clientId, secret);
        }
    }
}
