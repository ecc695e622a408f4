package io.tokenservice.endpoint;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The proxies whose forwarding headers are read ({@code quarkus.http.proxy.trusted-proxies}): IP addresses and CIDR
 * blocks, IPv4 and IPv6. A hostname or a port is refused when the list is read: a hostname would be looked up per
 * request, and a proxy's source port is not part of who it is.
 */
final class TrustedProxies {

    // Letters, digits, '.', ':' and one optional '/prefix': what an IP literal or a CIDR block can be, never a name.
    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f.:]+(/[0-9]{1,3})?");

    private record Block(byte[] network, int prefix) {

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = prefix / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[whole] & mask) == (network[whole] & mask);
        }
    }

    private final List<Block> blocks;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /**
     * The proxies of these entries.
     *
     * @throws IllegalArgumentException naming the first entry that is not an IP address or a CIDR block
     */
    static TrustedProxies of(List<String> entries) {
        List<Block> blocks = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw.trim();
            if (entry.startsWith("[") && entry.endsWith("]")) {
                entry = entry.substring(1, entry.length() - 1);
            }
            if (!LITERAL.matcher(entry).matches()) {
                throw new IllegalArgumentException("'" + raw + "' is not an IP address or a CIDR block");
            }
            int slash = entry.indexOf('/');
            Optional<byte[]> network = address(slash < 0 ? entry : entry.substring(0, slash));
            if (network.isEmpty()) {
                throw new IllegalArgumentException("'" + raw + "' is not an IP address or a CIDR block");
            }
            int bits = network.get().length * 8;
            int prefix = slash < 0 ? bits : Integer.parseInt(entry.substring(slash + 1));
            if (prefix > bits) {
                throw new IllegalArgumentException("'" + raw + "' has a prefix longer than its address");
            }
            if (prefix < 8) {
                // 0.0.0.0/0 and the like trust every caller: forwarding with no trusted proxy at all.
                throw new IllegalArgumentException("'" + raw + "' trusts far more than a proxy's addresses");
            }
            blocks.add(new Block(network.get(), prefix));
        }
        return new TrustedProxies(blocks);
    }

    boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** Whether {@code address} (its bytes) is one of the proxies. */
    boolean contains(byte[] address) {
        for (Block block : blocks) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The bytes of an IP literal (an IPv4-mapped IPv6 address as IPv4); empty for anything else, never a lookup.
     */
    static Optional<byte[]> address(String literal) {
        if (literal.isEmpty() || !LITERAL.matcher(literal).matches() || literal.indexOf('/') >= 0) {
            return Optional.empty();
        }
        if (literal.indexOf(':') < 0) {
            return ipv4(literal);
        }
        try {
            // An IPv6 literal (it has a ':'), in brackets: InetAddress parses it or refuses it, never a DNS lookup.
            return Optional.of(InetAddress.getByName("[" + literal + "]").getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Dotted-quad IPv4, each part 0 to 255; parsed here, since InetAddress would look up what it cannot parse. */
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
