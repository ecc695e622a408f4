package io.tokenservice.admin;

import java.net.URI;
import java.net.URISyntaxException;

/** What an issuer identifier looks like (RFC 8414 §2, OpenID Connect Discovery §2): an absolute URL, no query or fragment. */
final class IssuerUrls {

    static final int MAX_LENGTH = 2000;

    private IssuerUrls() {
    }

    /** Whether {@code issuer} is an http or https URL with a host, no user info, query or fragment, and no space. */
    static boolean isIssuer(String issuer) {
        if (issuer == null || issuer.isEmpty() || issuer.length() > MAX_LENGTH || issuer.contains(" ")) {
            return false;
        }
        try {
            URI uri = new URI(issuer);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawUserInfo() == null && uri.getRawQuery() == null && uri.getRawFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
