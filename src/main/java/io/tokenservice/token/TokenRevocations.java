package io.tokenservice.token;

import io.smallrye.mutiny.Uni;

/**
 * Whether one of our tokens was revoked (RFC 7009), by its {@code jti}. {@code revocation.RevokedTokens} keeps the
 * revocations and depends on this package for what a token is; this interface lets the token path ask it without a
 * dependency back.
 */
public interface TokenRevocations {

    /**
     * Whether the token of this {@code jti} was revoked, as far as this replica knows. Fails with
     * {@link io.tokenservice.database.StoreUnavailableException} when that must be read and cannot be.
     */
    Uni<Boolean> isRevoked(String jwtId);
}
