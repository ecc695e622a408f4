package io.tokenservice.federation;

/**
 * An administrator tried to store, change or remove a trusted issuer that configuration defines (by its name or its
 * iss); the admin API answers 409: change it where it is configured.
 */
public final class ConfiguredIssuerException extends RuntimeException {

    public ConfiguredIssuerException() {
        super("This trusted issuer is defined in configuration (token-service.federation.trusted-issuers)", null, false,
                false);
    }
}
