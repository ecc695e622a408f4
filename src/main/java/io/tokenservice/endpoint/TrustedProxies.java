package io.tokenservice.endpoint;

import io.tokenservice.net.IpLiterals;
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
            Optional<byte[]> network = IpLiterals.parse(slash < 0 ? entry : entry.substring(0, slash));
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
}
