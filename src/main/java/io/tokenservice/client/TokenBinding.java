package io.tokenservice.client;

/**
 * What a client's access tokens must be bound to, as registered: its certificate
 * ({@code tls_client_certificate_bound_access_tokens}, RFC 8705 §3.4), a DPoP key ({@code dpop_bound_access_tokens},
 * RFC 9449 §5.2), both, or neither (a token request may still ask for a binding).
 */
public record TokenBinding(boolean certificate, boolean dpop) {

    /** No binding required. */
    public static final TokenBinding NONE = new TokenBinding(false, false);
}
