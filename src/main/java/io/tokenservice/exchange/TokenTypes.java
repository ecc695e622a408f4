package io.tokenservice.exchange;

/** The token type identifiers of RFC 8693 §3 (and draft-ietf-oauth-transaction-tokens) this service reads or issues. */
public final class TokenTypes {

    /** RFC 8693 §2.1: the grant_type of token exchange. */
    public static final String GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
    /** An OAuth access token of this service. */
    public static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
    /** A JWT (RFC 7519 §9): for a subject or actor token, a trusted issuer's. */
    public static final String JWT = "urn:ietf:params:oauth:token-type:jwt";
    /** A transaction token (draft-ietf-oauth-transaction-tokens §11). */
    public static final String TXN_TOKEN = "urn:ietf:params:oauth:token-type:txn_token";

    private TokenTypes() {
    }
}
