package io.tokenservice.admin;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The URLs the admin API stores: issuer identifiers (RFC 8414 §2, OpenID Connect Discovery §2: no query or
 * fragment) and the URLs key sets are fetched from.
 */
public final class HttpUrls {

    public static final int MAX_LENGTH = 2000;

    private HttpUrls() {
    }

    /**
     * Whether {@code url} is an absolute https URL (or http, when {@code allowHttp}) of at most {@value #MAX_LENGTH}
     * characters, with a host, without user info or fragment, and without a query unless {@code allowQuery}.
     */
    public static boolean isAbsolute(String url, boolean allowHttp, boolean allowQuery) {
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

    /**
     * One spelling of a URL already found {@link #isAbsolute}: scheme and host in lower case, the scheme's default
     * port and an empty query left out, an empty path as "/"; so that two spellings of one key set URL compare equal.
     */
    public static String normalized(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || "https".equals(scheme) && port == 443 || "http".equals(scheme) && port == 80;
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            String query = uri.getRawQuery() == null || uri.getRawQuery().isEmpty() ? "" : "?" + uri.getRawQuery();
            return scheme + "://" + uri.getHost().toLowerCase(java.util.Locale.ROOT) + (defaultPort ? "" : ":" + port)
                    + path + query;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + url, e);
        }
    }
}
