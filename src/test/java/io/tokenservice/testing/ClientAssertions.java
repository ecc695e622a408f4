package io.tokenservice.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Client keys and client assertions for tests, made with the Nimbus SDKs (nobody here wrote them): assertions as a
 * client library sends them ({@link PrivateKeyJWT}), and signed claim sets a test bends one claim of.
 */
public final class ClientAssertions {

    public static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private ClientAssertions() {
    }

    /** The token endpoint URL of the running application's issuer, the audience assertions name. */
    public static String tokenEndpoint() {
        return ConfigProvider.getConfig().getValue("token-service.issuer", String.class).replaceAll("/+$", "")
                + "/oauth2/token";
    }

    public static RSAKey rsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ECKey ec(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public JWK Set of these keys, as a client registers or publishes it. */
    public static String jwks(JWK... keys) {
        return new JWKSet(List.of(keys)).toPublicJWKSet().toString();
    }

    /** The form parameters of the SDK's private_key_jwt authentication: client_assertion_type, client_assertion. */
    public static String sdkForm(String clientId, JWK key, JWSAlgorithm algorithm) {
        try {
            PrivateKeyJWT authentication = key instanceof RSAKey rsa
                    ? new PrivateKeyJWT(new ClientID(clientId), URI.create(tokenEndpoint()), algorithm,
                            rsa.toPrivateKey(), rsa.getKeyID(), null)
                    : new PrivateKeyJWT(new ClientID(clientId), URI.create(tokenEndpoint()), algorithm,
                            ((ECKey) key).toPrivateKey(), key.getKeyID(), null);
            return URLUtils.serializeParameters(authentication.toParameters());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Valid claims of a client's assertion: iss = sub = clientId, aud the token endpoint, 5 minutes, a fresh jti. */
    public static JWTClaimsSet.Builder claims(String clientId) {
        return claims(clientId, tokenEndpoint());
    }

    /** The same, addressed to {@code audience}. */
    public static JWTClaimsSet.Builder claims(String clientId, String audience) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(audience)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString());
    }

    /** These claims signed with {@code key} (RSA or EC), its kid in the header. */
    public static String sign(JWK key, JWSAlgorithm algorithm, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(), claims);
            jwt.sign(key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token request body authenticating with this assertion. */
    public static String tokenForm(String assertion) {
        return "grant_type=client_credentials&client_assertion_type=" + URLEncoder.encode(JWT_BEARER, StandardCharsets.UTF_8)
                + "&client_assertion=" + URLEncoder.encode(assertion, StandardCharsets.UTF_8);
    }
}
