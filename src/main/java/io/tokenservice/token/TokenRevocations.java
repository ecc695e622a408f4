package io.tokenservice.token;

import java.util.Optional;

/**
 * Whether one of our tokens was revoked (RFC 7009), by its {@code jti}, as far as this replica can tell from memory.
 * {@code revocation.RevokedTokens} keeps the revocations and depends on this package for what a token is; this
 * interface lets the token path ask it without a dependency back.
 */
public interface TokenRevocations {

    /**
     * Whether the token of this {@code jti} was revoked, as far as this replica knows from memory (others'
     * revocations arrive when announced); empty when memory cannot tell, because some revocations did not fit in it
     * and only the database knows them all.
     */
    Optional<Boolean> revokedAtHand(String jwtId);
}
