package io.tokenservice.testing;

import static io.restassured.RestAssured.given;

import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.specification.RequestSpecification;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Token requests as clients send them on the wire. */
public final class TokenRequests {

    public static final String FORM = "application/x-www-form-urlencoded";

    private TokenRequests() {
    }

    /** A form request with no client authentication yet; the body is sent exactly as given. */
    public static RequestSpecification form(String body) {
        return given()
                .config(RestAssuredConfig.config().encoderConfig(
                        EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .contentType(FORM)
                .body(body);
    }

    /** {@code Authorization: Basic base64(client_id:client_secret)}, the parts raw as in the seed's sample. */
    public static String basicRaw(String clientId, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** The same with both parts form-urlencoded first, as RFC 6749 §2.3.1 says. */
    public static String basicFormEncoded(String clientId, String secret) {
        return basicRaw(URLEncoder.encode(clientId, StandardCharsets.UTF_8), URLEncoder.encode(secret, StandardCharsets.UTF_8));
    }

    public static RequestSpecification clientCredentials(String clientId, String secret) {
        return form("grant_type=client_credentials").header("Authorization", basicRaw(clientId, secret));
    }
}
