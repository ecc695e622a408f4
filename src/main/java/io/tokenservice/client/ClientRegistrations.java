package io.tokenservice.client;

import java.security.SecureRandom;

/**
 * Draws the number a client is registered under ({@link RegisteredClient#registration}): random, so that a client
 * registered again under a deleted client's id gets another one and the deleted client's tokens are not its own,
 * and so that the number tells a token's readers nothing. 53 bits: a JSON number carries it exactly everywhere.
 */
public final class ClientRegistrations {

    private static final SecureRandom RANDOM = new SecureRandom();

    private ClientRegistrations() {
    }

    public static long next() {
        return RANDOM.nextLong() >>> 11;
    }
}
