package io.tokenservice.testing;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.tokenservice.key.SigningKey;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.UUID;

/** Access tokens for the admin API's tests: real ones from the token endpoint, and forged or broken ones. */
public final class AdminTokens {

    private AdminTokens() {
    }

    public static String issued(TestClients.Registered client) {
        return TokenRequests.clientCredentials(client.clientId(), client.secret()).post("/oauth2/token")
                .then().statusCode(200).extract().path("access_token");
    }

    /** A token shaped like ours, signed with {@code key}'s private key unless another is given. */
    public static String forged(SigningKey key, String issuer, String scope, Instant expiresAt, String typ,
            PrivateKey signWith) {
        JwtClaimsBuilder claims = Jwt.claims().issuer(issuer).subject("forger").claim("client_id", "forger")
                .audience("http://localhost:8080/admin").issuedAt(expiresAt.minusSeconds(600)).expiresAt(expiresAt)
                .claim("jti", UUID.randomUUID().toString()).claim("scope", scope);
        return claims.jws().algorithm(SignatureAlgorithm.RS256).keyId(key.kid()).type(typ).sign(signWith);
    }

    public static PrivateKey strangersKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair().getPrivate();
    }
}
