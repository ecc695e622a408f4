package io.tokenservice.endpoint;

import java.util.Set;

/** The paths of the service's OAuth endpoints, relative to the issuer. */
public final class Endpoints {

    /** RFC 6749 §3.2. */
    public static final String TOKEN = "/oauth2/token";
    /** RFC 7662 §2. */
    public static final String INTROSPECTION = "/oauth2/introspect";
    /** RFC 7009 §2. */
    public static final String REVOCATION = "/oauth2/revoke";
    /** RFC 7517 §5, published at a well-known location as most verifiers expect. */
    public static final String JWKS = "/.well-known/jwks.json";

    /** The endpoints that take an {@code application/x-www-form-urlencoded} body. */
    public static final Set<String> FORM = Set.of(TOKEN, INTROSPECTION, REVOCATION);

    private Endpoints() {
    }
}
