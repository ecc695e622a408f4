package io.tokenservice.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP address literals as written by callers, proxies and operators (a forwarding header's hop, a trusted proxy, a
 * certificate's registered IP subject alternative name): parsed, never looked up. A string that is no literal is
 * refused here, where {@link InetAddress#getByName} would hand it to the resolver (a blocking DNS query, on the event
 * loop, for whatever text a caller chose).
 */
public final class IpLiterals {

    // Hex digits, '.' and ':': all an IPv4 or IPv6 literal can hold, never a name.
    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f.:]+");

    private IpLiterals() {
    }

    /** The bytes of an IPv4 or IPv6 literal (an IPv4-mapped IPv6 address as IPv4); empty for anything else. */
    public static Optional<byte[]> parse(String literal) {
        if (literal.isEmpty() || !LITERAL.matcher(literal).matches()) {
            return Optional.empty();
        }
        if (literal.indexOf(':') < 0) {
            return ipv4(literal);
        }
        try {
            // In brackets InetAddress takes it for an IPv6 literal only: parsed or refused, never looked up.
            return Optional.of(InetAddress.getByName("[" + literal + "]").getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Dotted-quad IPv4, each part 0 to 255, parsed here: InetAddress would look up what it cannot parse. */
    private static Optional<byte[]> ipv4(String literal) {
        String[] parts = literal.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Optional.empty();
            }
            int value = Integer.parseInt(parts[i]);
            if (value > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) value;
        }
        return Optional.of(bytes);
    }
}
