package io.tokenservice.federation;

/** An administrator named a trusted issuer that is not stored; the admin API answers 404. */
public final class TrustedIssuerNotFoundException extends RuntimeException {

    public TrustedIssuerNotFoundException() {
        super("No such trusted issuer", null, false, false);
    }
}
