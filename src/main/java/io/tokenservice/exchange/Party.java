package io.tokenservice.exchange;

import io.tokenservice.revocation.ExchangedFrom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A subject or actor of a token exchange, as its verified token tells it.
 *
 * @param subject the token's sub
 * @param issuer its iss: ours, or a trusted issuer's
 * @param subjectIssuer the issuer whose subject {@code sub} is when that is not us: a trusted issuer's token's own
 *     issuer, or the {@code subject_issuer} a token of ours carries; empty for a subject of ours
 * @param scopes its scopes; empty when the token says nothing of scopes (a trusted issuer's without a scope claim)
 * @param audience its aud
 * @param expiresAt its exp
 * @param claims every claim of it, as issued
 * @param lineage for a token of ours, the chain a token exchanged from it carries (its own, then itself); empty for
 *     a trusted issuer's
 */
public record Party(String subject, String issuer, Optional<String> subjectIssuer, Optional<List<String>> scopes,
        List<String> audience, Instant expiresAt, Map<String, Object> claims, Optional<ExchangedFrom> lineage) {

    /** The claim naming the issuer of a {@code sub} that is not ours. */
    static final String SUBJECT_ISSUER = "subject_issuer";

    /** Whether the token is one of ours (an access or transaction token). */
    public boolean ours() {
        return lineage.isPresent();
    }
}
