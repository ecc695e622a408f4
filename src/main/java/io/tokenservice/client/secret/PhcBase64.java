package io.tokenservice.client.secret;

import java.util.Base64;

/**
 * The base64 of PHC strings: the standard alphabet without padding. Also reads passlib's variant, which writes
 * '.' for '+'. Returns null for text that is not base64.
 */
final class PhcBase64 {

    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();

    private PhcBase64() {
    }

    static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    static byte[] decode(String text) {
        try {
            return Base64.getDecoder().decode(text.replace('.', '+'));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
