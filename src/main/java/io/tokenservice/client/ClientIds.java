package io.tokenservice.client;

import java.util.regex.Pattern;

/** What a client_id may be: RFC 6749 Appendix A.1 {@code *VSCHAR}, 1 to 255 of them, no space (Basic reads it). */
public final class ClientIds {

    private static final Pattern CLIENT_ID = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private ClientIds() {
    }

    /** Whether a client could be registered under {@code clientId}; a request presenting another is unknown. */
    public static boolean isValid(String clientId) {
        return clientId != null && CLIENT_ID.matcher(clientId).matches();
    }
}
