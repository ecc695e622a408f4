package io.tokenservice.client.secret;

/**
 * One family of PHC-style password-hash strings. Implementations never throw on a malformed hash: it simply
 * does not verify, so a corrupt row behaves like a wrong secret.
 */
interface SecretHashFormat {

    /** True when {@code hash} is written in this format (it may still be malformed). */
    boolean recognizes(String hash);

    /** True when {@code secret} hashes to {@code hash}; compares in constant time. */
    boolean verify(byte[] secret, String hash);

    /** True when {@code hash} is well-formed in this format with parameters this service accepts. */
    boolean isWellFormed(String hash);
}
