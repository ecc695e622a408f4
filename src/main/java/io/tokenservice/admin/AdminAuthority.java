package io.tokenservice.admin;

/** What a bearer token must carry to administer the service through {@code /admin/*}. */
public final class AdminAuthority {

    /** The scope of administrators' tokens (RFC 6749 §3.3). */
    public static final String SCOPE = "admin";

    private AdminAuthority() {
    }
}
