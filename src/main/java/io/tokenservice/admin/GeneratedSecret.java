package io.tokenservice.admin;

import java.security.SecureRandom;
import java.util.Base64;

/** New client secrets: 256 bits from SecureRandom, base64url without padding, so form-urlencoding never changes them. */
public final class GeneratedSecret {

    private static final SecureRandom RANDOM = new SecureRandom();

    private GeneratedSecret() {
    }

    public static String next() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
