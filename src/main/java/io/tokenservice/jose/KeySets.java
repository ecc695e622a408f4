package io.tokenservice.jose;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.jose4j.jwk.JsonWebKeySet;

/**
 * Checks an assertion's signature against the keys of whoever signed it, however they are published: a JWK Set
 * document registered inline (parsed once, held in bounded memory), or a set at a URL ({@link RemoteJwks}, fetched
 * again once when the assertion names a kid the set lacks: its owner rotated). Either way only the keys
 * {@link JwkSetRules} allows are used, and every refusal costs one verification, a decoy's when no key was tried,
 * so that the time of a refusal does not tell whether the kid exists. Fails with
 * {@link JwtRejectedException} {@link JwtRejectedException.Reason#BAD_SIGNATURE}, or
 * {@link JwtRejectedException.Reason#KEYS_UNAVAILABLE} when the set cannot be had.
 */
@ApplicationScoped
public class KeySets {

    // Parsed sets held, weighed by their documents: a bound in memory, whatever the sets' sizes.
    private static final long PARSED_SET_CHARS = 16L << 20;

    private record Parsed(JsonWebKeySet keys, int documentLength) {
    }

    private final RemoteJwks remote;
    // Keyed by the document itself: a client deleted and registered again under its id, or an issuer changed behind
    // the admin API, can never be verified with a set it no longer has.
    private final Cache<String, Parsed> inline = Caffeine.newBuilder().maximumWeight(PARSED_SET_CHARS)
            .<String, Parsed>weigher((document, parsed) -> 2 * parsed.documentLength()).build();

    KeySets(RemoteJwks remote) {
        this.remote = remote;
    }

    /** Verified by a key of the set {@code jwks}, a JWK Set document. */
    public Uni<Void> verifiedInline(UnverifiedJwt assertion, String jwks) {
        return outcome(assertion, Signatures.verify(assertion, parsed(jwks)));
    }

    /** What an assertion naming a kid the fetched set lacks waits for (its owner may have rotated its keys). */
    public enum UnknownKid {
        /** The set fetched again (at most once per min-refetch-interval), then verified: a trusted issuer's keys. */
        WAIT_FOR_REFETCH,
        /**
         * The set fetched again in the background, the assertion refused now with a decoy verification: a client's
         * keys, so that no caller can tell from a fetch's wait which client ids have a jwks_uri.
         */
        REFETCH_IN_BACKGROUND
    }

    /** Verified by a key of the set at {@code jwksUri}, fetched as {@link RemoteJwks} allows. */
    public Uni<Void> verifiedAt(UnverifiedJwt assertion, String jwksUri, UnknownKid unknownKid) {
        return remote.current(jwksUri).flatMap(keys -> {
            Signatures.Outcome first = Signatures.verify(assertion, keys);
            if (first != Signatures.Outcome.UNKNOWN_KEY) {
                return outcome(assertion, first);
            }
            if (unknownKid == UnknownKid.REFETCH_IN_BACKGROUND) {
                remote.refreshInBackground(jwksUri);
                return outcome(assertion, first);
            }
            return remote.refreshed(jwksUri).flatMap(fresh -> outcome(assertion, Signatures.verify(assertion, fresh)));
        });
    }

    /** Verified by a key of the set at {@code jwksUri} as fetched within cache-for, with no fetch; empty URL: none. */
    public Uni<Void> verifiedWithoutFetching(UnverifiedJwt assertion, Optional<String> jwksUri) {
        return jwksUri.flatMap(remote::fresh)
                .map(keys -> outcome(assertion, Signatures.verify(assertion, keys)))
                .orElseGet(() -> Uni.createFrom().failure(new JwtRejectedException(JwtRejectedException.Reason.KEYS_UNAVAILABLE)));
    }

    /**
     * Whether a usable key of the set ({@code jwks} inline, else at {@code jwksUri}; with {@code cachedOnly}, only as
     * fetched within cache-for) is {@code key}: a self-signed certificate's public key (RFC 8705 §2.2). Fails with
     * {@link JwtRejectedException.Reason#KEYS_UNAVAILABLE} when the set cannot be had.
     */
    public Uni<Boolean> holds(java.security.PublicKey key, String jwks, String jwksUri, boolean cachedOnly) {
        if (jwks != null) {
            return Uni.createFrom().item(holds(parsed(jwks), key));
        }
        if (cachedOnly) {
            return remote.fresh(jwksUri).map(keys -> Uni.createFrom().item(holds(keys, key)))
                    .orElseGet(() -> Uni.createFrom().failure(
                            new JwtRejectedException(JwtRejectedException.Reason.KEYS_UNAVAILABLE)));
        }
        return remote.current(jwksUri).map(keys -> {
            if (holds(keys, key)) {
                return true;
            }
            // A certificate of a new key: its owner may have rotated. Fetched in the background (at most once per
            // interval), as for an unknown kid: no caller can tell from a wait which clients have a jwks_uri.
            remote.refreshInBackground(jwksUri);
            return false;
        });
    }

    private static boolean holds(JsonWebKeySet keys, java.security.PublicKey key) {
        return keys.getJsonWebKeys().stream()
                .filter(JwkSetRules::usable)
                .map(jwk -> ((org.jose4j.jwk.PublicJsonWebKey) jwk).getPublicKey())
                .anyMatch(candidate -> java.security.MessageDigest.isEqual(candidate.getEncoded(), key.getEncoded()));
    }

    private JsonWebKeySet parsed(String jwks) {
        return inline.get(jwks, document -> {
            JsonWebKeySet keys;
            try {
                keys = JwkSetRules.usableKeys(document);
            } catch (IllegalArgumentException e) {
                // Validated by the admin API and, for configured issuers, at startup; a set stored before the rules
                // were what they are, and no longer kept to them, verifies nothing.
                keys = new JsonWebKeySet(List.of());
            }
            return new Parsed(keys, document.length());
        }).keys();
    }

    private static Uni<Void> outcome(UnverifiedJwt assertion, Signatures.Outcome outcome) {
        if (outcome == Signatures.Outcome.VERIFIED) {
            return Uni.createFrom().voidItem();
        }
        if (!outcome.verified()) {
            Signatures.spend(assertion);
        }
        return Uni.createFrom().failure(new JwtRejectedException(JwtRejectedException.Reason.BAD_SIGNATURE));
    }
}
