package io.tokenservice.endpoint;

import java.util.regex.Pattern;

/** RFC 6749 §3.3: {@code scope-token = 1*( %x21 / %x23-5B / %x5D-7E )}, space-delimited in a scope parameter. */
public final class ScopeSyntax {

    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

    private ScopeSyntax() {
    }

    /** Whether {@code scope} is one well-formed scope-token. */
    public static boolean isScopeToken(String scope) {
        return scope != null && SCOPE_TOKEN.matcher(scope).matches();
    }
}
