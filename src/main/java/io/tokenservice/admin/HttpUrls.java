package io.tokenservice.admin;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The URLs the admin API stores: issuer identifiers (RFC 8414 §2, OpenID Connect Discovery §2: no query or
 * fragment) and the URLs key sets are fetched from.
 */
final class HttpUrls {

    static final int MAX_LENGTH = 2000;

    private HttpUrls() {
    }

    /**
     * Whether {@code url} is an absolute https URL (or http, when {@code allowHttp}) of at most {@value #MAX_LENGTH}
     * characters, with a host, without user info or fragment, and without a query unless {@code allowQuery}.
     */
    static boolean isAbsolute(String url, boolean allowHttp, boolean allowQuery) {
        if (url == null || url.length() > MAX_LENGTH) {
            return false;
        }
        try {
            URI uri = new URI(url);
            boolean scheme = "https".equals(uri.getScheme()) || allowHttp && "http".equals(uri.getScheme());
            return scheme && uri.getHost() != null && uri.getRawUserInfo() == null && uri.getRawFragment() == null
                    && (allowQuery || uri.getRawQuery() == null);
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
