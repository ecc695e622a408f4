package io.tokenservice.revocation;

import io.tokenservice.token.VerifiedToken;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The tokens of ours a token was exchanged from, outermost last, as its {@code exchanged_from} claim lists them: each
 * by its {@code jti} and {@code iat} and the client it was issued to (that client's version and registration). A token
 * is honoured only while every one of them would be: revoking any token of a chain, or cutting off any client along
 * it, ends every token exchanged from it, however many hops on ({@link ActiveTokens}). A chain holds at most
 * {@link #MAX_LINKS}: a token that long is not exchanged again, so no token grows without bound.
 *
 * @param links the tokens, the first exchanged first
 */
public record ExchangedFrom(List<Link> links) {

    /** The claim. */
    public static final String CLAIM = "exchanged_from";
    /** The most tokens a chain holds, so a token is exchanged (or a transaction token replaced) at most this often. */
    public static final int MAX_LINKS = 8;

    public ExchangedFrom {
        links = List.copyOf(links);
    }

    /** One token of a chain and the client it was issued to. */
    public record Link(String jwtId, Instant issuedAt, String clientId, long clientVersion,
            OptionalLong clientRegistration) {

        /** The token itself, as a chain names it. */
        static Link of(VerifiedToken token) {
            return new Link(token.jwtId(), token.issuedAt(), token.clientId(), token.clientVersion(),
                    token.clientRegistration());
        }

        private Map<String, Object> claim() {
            Map<String, Object> claim = new LinkedHashMap<>();
            claim.put("jti", jwtId);
            claim.put("iat", issuedAt.getEpochSecond());
            claim.put("client_id", clientId);
            claim.put("client_version", clientVersion);
            clientRegistration.ifPresent(number -> claim.put("client_registration", number));
            return claim;
        }

        private static Optional<Link> read(Object value) {
            if (value instanceof Map<?, ?> link && link.get("jti") instanceof String jwtId
                    && link.get("iat") instanceof Number issuedAt && link.get("client_id") instanceof String clientId
                    && link.get("client_version") instanceof Number version) {
                Object registration = link.get("client_registration");
                if (registration != null && !(registration instanceof Number)) {
                    return Optional.empty();
                }
                return Optional.of(new Link(jwtId, Instant.ofEpochSecond(issuedAt.longValue()), clientId,
                        version.longValue(), registration == null ? OptionalLong.empty()
                                : OptionalLong.of(((Number) registration).longValue())));
            }
            return Optional.empty();
        }
    }

    /** The chain a verified token of ours names: none for a token of no exchange; empty when the claim is malformed. */
    public static Optional<ExchangedFrom> of(VerifiedToken token) {
        Object claim = token.claims().get(CLAIM);
        if (claim == null) {
            return Optional.of(new ExchangedFrom(List.of()));
        }
        if (!(claim instanceof List<?> values) || values.size() > MAX_LINKS) {
            return Optional.empty();
        }
        List<Link> links = new ArrayList<>();
        for (Object value : values) {
            Optional<Link> link = Link.read(value);
            if (link.isEmpty()) {
                return Optional.empty();
            }
            links.add(link.get());
        }
        return Optional.of(new ExchangedFrom(links));
    }

    /**
     * The chain of a token exchanged from {@code token}: its own, then the token itself. Empty when that would be
     * longer than {@link #MAX_LINKS}, or the token's own is malformed.
     */
    public static Optional<ExchangedFrom> after(VerifiedToken token) {
        return of(token).filter(chain -> chain.links.size() < MAX_LINKS).map(chain -> new ExchangedFrom(chain.through(token)));
    }

    /** These tokens, then {@code token}, which was exchanged from them: every token it is honoured only with. */
    List<Link> through(VerifiedToken token) {
        List<Link> all = new ArrayList<>(links);
        all.add(Link.of(token));
        return all;
    }

    /** As the claim writes it. */
    public List<Map<String, Object>> claim() {
        return links.stream().map(Link::claim).toList();
    }
}
