package io.tokenservice.client;

import io.smallrye.mutiny.Uni;
import java.util.Optional;

/**
 * One way a client authenticates (fosite's {@code ClientAuthenticationStrategy}, the Nimbus SDK's
 * {@code ClientAuthenticationVerifier}): it reads what a request presents and finds whose credentials those are.
 * {@link ClientAuthenticator} does what is the same for every way: the failure budgets, the policy (the client is
 * enabled, registered for this method, and the one the request names), the metrics and the log.
 */
public interface ClientAuthenticationStrategy {

    /** Whether it reads what this request presents. */
    boolean reads(ClientAuthentication presented);

    /**
     * What the request presents, read.
     *
     * @throws ClientAuthenticationException {@link AuthenticationFailure#MALFORMED_ASSERTION} for what cannot be read
     */
    Attempt attempt(ClientAuthentication presented);

    /** One request's credentials, read: what the pipeline needs to budget, verify and judge them. */
    interface Attempt {

        /** The id its failures are budgeted under: the client (or trusted issuer's subject) it names; "" for none. */
        String budgetKey();

        /** How many guesses it makes: a Basic header read two ways makes two. */
        default int guesses() {
            return 1;
        }

        /** The method its credentials are of, which must be the client's registered one. */
        ClientAuthMethod method();

        /** The client_id the request names besides its credentials, which must be the client's (RFC 7521 §4.2). */
        Optional<String> namedClientId();

        /** The id to log, bounded and printable by the authenticator. */
        String loggedId();

        /**
         * The client whose credentials these are, verified; the policy is the authenticator's. Fails with
         * {@link ClientAuthenticationException} naming why, or with the stores' exceptions.
         *
         * @param suspect whether the source failed recently (its slow work goes to a lane of its own)
         */
        Uni<ClientSnapshot> verify(String source, boolean suspect);

        /**
         * The same with what this replica has at hand, no lookup, fetch or slow hash: for a source over its failure
         * budget, as a warm secret (or an assertion against cached keys) still passes behind a shared address.
         */
        Uni<ClientSnapshot> verifyAtHand();

        /** Whether verifying at hand costs next to nothing (an HMAC), not a signature verification to be budgeted. */
        boolean cheapAtHand();
    }
}
